using LiveStyle.Capture.Video;

namespace LiveStyle.Pipeline.Frames;

/// <summary>A frame of convert's stream: the pixels and the container bytes that precede them.</summary>
public sealed class VideoFrame(int width, int height) : Frame(width, height)
{
    /// <summary>The container bytes that precede these pixels in the decoded stream.</summary>
    public ContainerBytes Container { get; } = new();

    /// <summary>False for the end of the stream, where the frame carries only the container's trailing bytes.</summary>
    public bool HasPixels { get; set; } = true;
}
