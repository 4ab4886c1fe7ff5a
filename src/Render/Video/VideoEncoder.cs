using LiveStyle.Files;
using LiveStyle.Media.Video;

namespace LiveStyle.Render.Video;

/// <summary>
/// The one recorder: encodes frames with the ffmpeg executable into a temporary file beside the output
/// (<see cref="AtomicFile"/>) and gives it its final name only after FFmpeg finished cleanly;
/// <see cref="Abort"/> (or disposing unfinished) leaves nothing behind. Convert feeds it the decoded
/// stream's container bytes around new pixels; a live recording feeds raw frames as they are shown.
/// </summary>
public sealed class VideoEncoder : IDisposable
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly EncodeSettings _settings;
    private readonly PendingFile? _file;
    private readonly PendingFolder? _sequence;
    private bool _done;

    public VideoEncoder(EncodeSettings settings, bool overwrite)
    {
        _settings = settings;
        var full = Path.GetFullPath(settings.OutputPath);
        var dir = Path.GetDirectoryName(full)!;
        string target;
        try
        {
            if (settings.Format.IsImageSequence)
            {
                if (!overwrite && Directory.Exists(dir) && Directory.EnumerateFiles(dir, SequenceGlob(full)).Any())
                    throw new IOException($"{settings.OutputPath} already exists (use --force to replace it)");
                _sequence = AtomicFile.ReserveFolder(dir);
                target = Path.Combine(_sequence.TemporaryFolder, Path.GetFileName(full));
            }
            else
            {
                _file = AtomicFile.Reserve(full, overwrite);
                target = _file.TemporaryPath;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoException(e.Message, e);
        }
        var (args, notices) = EncoderArguments.Build(settings, target);
        Notices = notices;
        try { _ffmpeg = FfmpegProcess.Start("ffmpeg", args, stdin: true, stdout: false, lowPriority: !settings.Live); }
        catch
        {
            RemoveOutput();
            throw;
        }
    }

    public IReadOnlyList<string> Notices { get; }

    /// <summary>Writes one frame: the container bytes that precede it (none for live frames) and its pixels (none for a stream's tail).</summary>
    public void Write(ReadOnlySpan<byte> container, ReadOnlySpan<byte> pixels)
    {
        try
        {
            _ffmpeg.Input.Write(container);
            _ffmpeg.Input.Write(pixels);
        }
        catch (IOException e)
        {
            throw Failure(e);
        }
    }

    /// <summary>Ends the stream, waits for FFmpeg to finish the file, then gives it its final name.</summary>
    public void Finish()
    {
        try { _ffmpeg.Input.Close(); }
        catch (IOException e) { throw Failure(e); }
        if (_ffmpeg.WaitForExit() != 0) throw Failure(null);
        Publish();
        _done = true;
    }

    private VideoException Failure(Exception? inner) =>
        new($"cannot encode {_settings.OutputPath}: {(_ffmpeg.WaitForExit() != 0 ? _ffmpeg.LastError : inner?.Message)}", inner);

    private void Publish()
    {
        _file?.Publish();
        _sequence?.Publish();
    }

    /// <summary>Stops FFmpeg and removes the temporary output.</summary>
    public void Abort()
    {
        _ffmpeg.Kill();
        _done = true;
        RemoveOutput();
    }

    private void RemoveOutput()
    {
        _file?.Dispose();
        _sequence?.Dispose();
    }

    private static string SequenceGlob(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(Path.GetFileName(pattern), "%0?\\d*d", "*");

    public void Dispose()
    {
        if (!_done) Abort();
        _ffmpeg.Dispose();
        RemoveOutput();
    }
}
