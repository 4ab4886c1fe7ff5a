using LiveStyle.Media.Video;
using LiveStyle.Render.Video;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// Records the shown frames to a file with the recorder convert uses (<see cref="VideoEncoder"/>): the
/// container by the extension, frames timestamped on arrival, the final name only once finished.
/// </summary>
public sealed class RecordingSink : IFrameSink
{
    private readonly VideoEncoder _encoder;

    public RecordingSink(string path, int width, int height, Action<string> notice)
    {
        var settings = EncodeSettings.Recording(path, width, height);
        if (settings.Format == OutputFormat.Gif || settings.Format.IsImageSequence) throw new SinkException($"{path}: record to .mp4, .mkv, .mov or .webm");
        try { _encoder = new VideoEncoder(settings, overwrite: true); }
        catch (VideoException e) { throw new SinkException($"cannot record to {path}: {e.Message}"); }
        foreach (var n in _encoder.Notices) notice(n);
        Name = path;
    }

    public string Name { get; }

    public void Write(ReadOnlySpan<byte> bgr, int width, int height)
    {
        try { _encoder.Write(default, bgr); }
        catch (VideoException e) { throw new SinkException(e.Message); }
    }

    /// <summary>Finalises the file and renames it into place.</summary>
    public void Complete()
    {
        try { _encoder.Finish(); }
        catch (VideoException e) { throw new SinkException($"recording {Name} failed: {e.Message}"); }
    }

    public void Dispose() => _encoder.Dispose();

    public override string ToString() => Name;
}
