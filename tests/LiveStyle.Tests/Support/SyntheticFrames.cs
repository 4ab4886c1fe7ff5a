using LiveStyle.Media.Images;
using OpenCvSharp;

namespace LiveStyle.Tests.Support;

/// <summary>Frames with a known motion, written as PNG sequences (lossless) that every video command reads.</summary>
public static class SyntheticFrames
{
    /// <summary>Seeded noise blurred to blobs about <paramref name="blur"/> px across, stretched to 0..255: texture optical flow can follow.</summary>
    public static Image Texture(int width, int height, int seed, double blur, int channels = 3)
    {
        var random = new Random(seed);
        using var noise = new Mat(height, width, MatType.CV_32FC(channels));
        var values = new float[width * height * channels];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextSingle();
        System.Runtime.InteropServices.Marshal.Copy(values, 0, noise.Data, values.Length);
        using var smooth = new Mat();
        Cv2.GaussianBlur(noise, smooth, new Size(0, 0), blur, blur, BorderTypes.Reflect101);
        using var bytes = new Mat();
        Cv2.Normalize(smooth, smooth, 0, 255, NormTypes.MinMax);
        smooth.ConvertTo(bytes, MatType.CV_8UC(channels));
        var image = new Image(width, height, channels);
        System.Runtime.InteropServices.Marshal.Copy(bytes.Data, image.Pixels, 0, image.Pixels.Length);
        return image;
    }

    /// <summary>
    /// The view of <paramref name="world"/> from (x, y): a <paramref name="width"/>x<paramref name="height"/> window.
    /// Moving the window left by d makes the content move right by d: frame(p) = world(p + origin).
    /// </summary>
    public static Image Window(Image world, int x, int y, int width, int height) => world.Crop(x, y, width, height);

    /// <summary>Writes frames as dir/f_001.png… and returns the FFmpeg pattern that reads them back.</summary>
    public static string WriteSequence(string dir, IEnumerable<Image> frames)
    {
        Directory.CreateDirectory(dir);
        var n = 0;
        foreach (var frame in frames) ImageCodec.Write(Path.Combine(dir, $"f_{++n:D3}.png"), frame);
        return Path.Combine(dir, "f_%03d.png");
    }

    public static Image Map(Image image, Func<int, int, int, byte, byte> f)
    {
        var result = new Image(image.Width, image.Height, image.Channels);
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        for (var c = 0; c < image.Channels; c++)
        {
            var i = (y * image.Width + x) * image.Channels + c;
            result.Pixels[i] = f(x, y, c, image.Pixels[i]);
        }
        return result;
    }
}
