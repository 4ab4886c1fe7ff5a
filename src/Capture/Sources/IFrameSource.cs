namespace LiveStyle.Capture.Sources;

public enum ReadResult { Frame, End, Lost }

/// <summary>
/// Where live frames come from. Read fills a packed BGR24 buffer at the processing size (resizing,
/// if needed, happens here, once). Sources that are not live (files, images, the test pattern)
/// report their own frame rate, at which the pipeline paces them.
/// </summary>
public interface IFrameSource : IDisposable
{
    string Name { get; }
    int Width { get; }
    int Height { get; }

    /// <summary>Frames per second to pace a non-live source at; a live source paces itself.</summary>
    double FrameRate { get; }
    bool IsLive { get; }

    ReadResult Read(Span<byte> bgr, int width, int height);

    /// <summary>Back to the first frame (for --loop); false when the source cannot rewind.</summary>
    bool Rewind();
}
