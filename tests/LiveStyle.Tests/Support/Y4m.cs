using LiveStyle.Media.Images;

namespace LiveStyle.Tests.Support;

/// <summary>YUV4MPEG2 clips (what Chromium's fake camera plays): 4:2:0, full-range BT.601, every frame the same picture.</summary>
public static class Y4m
{
    public static void Write(string path, Image picture, int frames = 30)
    {
        int w = picture.Width, h = picture.Height;
        if (w % 2 != 0 || h % 2 != 0) throw new ArgumentException("4:2:0 needs even sizes");
        var y = new byte[w * h];
        var u = new byte[w * h / 4];
        var v = new byte[w * h / 4];
        var px = picture.Pixels;
        var c = picture.Channels;
        for (var i = 0; i < w * h; i++)
        {
            double r = px[i * c], g = px[i * c + (c >= 3 ? 1 : 0)], b = px[i * c + (c >= 3 ? 2 : 0)];
            y[i] = (byte)Math.Clamp(Math.Round(0.299 * r + 0.587 * g + 0.114 * b), 0, 255);
        }
        for (var by = 0; by < h / 2; by++)
        for (var bx = 0; bx < w / 2; bx++)
        {
            double r = 0, g = 0, b = 0;
            foreach (var (dx, dy) in new[] { (0, 0), (1, 0), (0, 1), (1, 1) })
            {
                var i = ((2 * by + dy) * w + 2 * bx + dx) * c;
                r += px[i]; g += px[i + (c >= 3 ? 1 : 0)]; b += px[i + (c >= 3 ? 2 : 0)];
            }
            (r, g, b) = (r / 4, g / 4, b / 4);
            u[by * w / 2 + bx] = (byte)Math.Clamp(Math.Round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b), 0, 255);
            v[by * w / 2 + bx] = (byte)Math.Clamp(Math.Round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b), 0, 255);
        }
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{w} H{h} F30:1 Ip A1:1 C420jpeg\n"));
        for (var f = 0; f < frames; f++)
        {
            file.Write("FRAME\n"u8);
            file.Write(y);
            file.Write(u);
            file.Write(v);
        }
    }
}
