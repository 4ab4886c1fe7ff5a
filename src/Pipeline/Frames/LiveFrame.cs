namespace LiveStyle.Pipeline.Frames;

/// <summary>A frame of a live session: the pixels plus what presenting them needs.</summary>
public sealed class LiveFrame(int width, int height, bool keepOriginal) : Frame(width, height)
{
    /// <summary>The source's pixels kept beside the result, so strength and split view are applied when shown; null in a sink's copy.</summary>
    public byte[]? Original { get; } = keepOriginal ? new byte[width * height * 3] : null;

    /// <summary>Stopwatch timestamp of the capture, for end-to-end latency.</summary>
    public long CapturedAt { get; set; }

    /// <summary>Index of the frame in its source (files: the frame number from the start).</summary>
    public long SourceIndex { get; set; }

    /// <summary>Which of the transform's styles painted it.</summary>
    public int StyleIndex { get; set; }
}
