namespace LiveStyle.Capture.Sources;

/// <summary>A built-in animated pattern (moving colour bars, a bouncing disc, a frame counter bar) for trying LiveStyle without a camera.</summary>
public sealed class TestPatternSource(int width = 640, int height = 480, double fps = 30) : IFrameSource
{
    private long _frame;

    public string Name => "test pattern";
    public int Width { get; } = width;
    public int Height { get; } = height;
    public double FrameRate { get; } = fps;
    public bool IsLive => false;

    public ReadResult Read(Span<byte> bgr, int w, int h)
    {
        var t = _frame++ / FrameRate;
        double cx = w * (0.5 + 0.35 * Math.Sin(t * 1.3)), cy = h * (0.5 + 0.3 * Math.Cos(t * 0.9)), r = Math.Min(w, h) * 0.15;
        var shift = (int)(t * 40);
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var i = (y * w + x) * 3;
            var bar = ((x + shift) * 8 / Math.Max(1, w)) % 8;
            byte b = (byte)((bar & 1) * 230), g = (byte)((bar >> 1 & 1) * 230), red = (byte)((bar >> 2 & 1) * 230);
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) (b, g, red) = (40, 200, 250);
            if (y > h * 0.9) (b, g, red) = x < w * (_frame % 100) / 100.0 ? ((byte)255, (byte)255, (byte)255) : ((byte)30, (byte)30, (byte)30);
            bgr[i] = b;
            bgr[i + 1] = g;
            bgr[i + 2] = red;
        }
        return ReadResult.Frame;
    }

    public bool Rewind()
    {
        _frame = 0;
        return true;
    }

    public void Dispose() { }
}
