namespace LiveStyle.Pipeline.Frames;

/// <summary>
/// What every journey's frame is: packed BGR24 pixels at the processing size, stylized in place by the transform.
/// A use that needs more carries it in its own kind (<see cref="VideoFrame"/>, <see cref="LiveFrame"/>). Frames come
/// from a <see cref="FramePool{TFrame}"/> and go back to it; nothing in them is reallocated per frame.
/// </summary>
public class Frame(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    /// <summary>The source's pixels, then the transform's result.</summary>
    public byte[] Pixels { get; } = new byte[width * height * 3];
}
