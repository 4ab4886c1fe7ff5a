namespace LiveStyle.Render.Sinks;

/// <summary>A sink's own copy of what is shown (packed BGR24, strength already applied). Pooled per sink.</summary>
public sealed class SinkFrame(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Bgr { get; } = new byte[width * height * 3];
    public long CapturedAt { get; set; }
    public long Sequence { get; set; }
}
