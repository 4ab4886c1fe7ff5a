namespace LiveStyle.Capture.Frames;

/// <summary>
/// One decoded frame (packed BGR24 pixels) plus the container bytes that precede it in the stream,
/// so the stream can be rebuilt around new pixels of the same size. Frames are pooled and reused.
/// </summary>
public sealed class VideoFrame
{
    internal VideoFrame(int pixelBytes) => Pixels = new byte[pixelBytes];

    public byte[] Pixels { get; }
    public bool HasPixels { get; internal set; }
    public long Index { get; internal set; }

    /// <summary>Container bytes to emit before the pixels (element headers, the block header, other elements).</summary>
    public byte[] Prefix { get; private set; } = new byte[256];
    public int PrefixLength { get; private set; }

    internal void ResetPrefix() => PrefixLength = 0;

    internal void AppendPrefix(ReadOnlySpan<byte> bytes)
    {
        if (PrefixLength + bytes.Length > Prefix.Length)
        {
            var grown = new byte[Math.Max(Prefix.Length * 2, PrefixLength + bytes.Length)];
            Prefix.AsSpan(0, PrefixLength).CopyTo(grown);
            Prefix = grown;
        }
        bytes.CopyTo(Prefix.AsSpan(PrefixLength));
        PrefixLength += bytes.Length;
    }
}

/// <summary>A fixed set of frames: taking one waits when all are in flight, so memory stays bounded.</summary>
public sealed class FramePool
{
    private readonly System.Collections.Concurrent.BlockingCollection<VideoFrame> _free = new();

    public FramePool(int count, int pixelBytes)
    {
        for (var i = 0; i < count; i++) _free.Add(new VideoFrame(pixelBytes));
    }

    public VideoFrame Take(CancellationToken cancel) => _free.Take(cancel);

    public void Return(VideoFrame frame) => _free.Add(frame);
}
