using LiveStyle.Capture.Video;

namespace LiveStyle.Pipeline.Frames;

/// <summary>
/// The one frame every journey moves: packed BGR24 pixels at the processing size, stylized in place by
/// the transform, plus what a use needs beside them. Frames come from a <see cref="FramePool"/> and go
/// back to it; nothing in them is reallocated per frame.
/// </summary>
public sealed class Frame
{
    public Frame(int width, int height, bool keepOriginal = false)
    {
        (Width, Height) = (width, height);
        Pixels = new byte[width * height * 3];
        Original = keepOriginal ? new byte[Pixels.Length] : null;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The source's pixels, then the transform's result.</summary>
    public byte[] Pixels { get; }

    /// <summary>Live: the source's pixels kept beside the result, so strength and split view are applied when shown.</summary>
    public byte[]? Original { get; }

    /// <summary>Video: the container bytes that precede these pixels in the decoded stream.</summary>
    public ContainerBytes Container { get; } = new();

    /// <summary>False for the end of a video stream, where the frame carries only the container's trailing bytes.</summary>
    public bool HasPixels { get; set; } = true;

    /// <summary>Stopwatch timestamp of the capture, for end-to-end latency.</summary>
    public long CapturedAt { get; set; }

    /// <summary>Index of the frame in its source (files: the frame number from the start).</summary>
    public long SourceIndex { get; set; }

    /// <summary>Which of the transform's styles painted it.</summary>
    public int StyleIndex { get; set; }
}
