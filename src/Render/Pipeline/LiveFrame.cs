namespace LiveStyle.Render.Pipeline;

/// <summary>One stylized result with the original it came from, both packed BGR24 at the processing size. Pooled.</summary>
public sealed class LiveFrame(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Original { get; } = new byte[width * height * 3];
    public byte[] Stylized { get; } = new byte[width * height * 3];

    /// <summary>Stopwatch timestamp of the capture, for end-to-end latency.</summary>
    public long CapturedAt { get; internal set; }

    /// <summary>Index of the frame in its source (files: the frame number from the start).</summary>
    public long SourceIndex { get; internal set; }

    public int StyleIndex { get; internal set; }
}
