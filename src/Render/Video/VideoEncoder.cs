using LiveStyle.Capture.Frames;
using LiveStyle.Capture.Video;

namespace LiveStyle.Render.Video;

/// <summary>
/// Encodes stylized frames with the ffmpeg executable into a temporary file beside the output and
/// renames it into place only after FFmpeg finished cleanly; <see cref="Abort"/> leaves nothing behind.
/// </summary>
public sealed class VideoEncoder : IDisposable
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly EncodeSettings _settings;
    private readonly string _temp;
    private bool _done;

    public VideoEncoder(EncodeSettings settings, bool overwrite)
    {
        _settings = settings;
        var full = Path.GetFullPath(settings.OutputPath);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new VideoException($"output folder {dir} does not exist");
        if (!overwrite && (settings.Format.IsImageSequence ? Directory.EnumerateFiles(dir, SequenceGlob(full)).Any() : File.Exists(full)))
            throw new VideoException($"{settings.OutputPath} already exists (use --force to replace it)");
        var tag = $".{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        _temp = settings.Format.IsImageSequence
            ? Path.Combine(dir, tag, Path.GetFileName(full))
            : Path.Combine(dir, $".{Path.GetFileName(full)}{tag}");
        try
        {
            if (settings.Format.IsImageSequence) Directory.CreateDirectory(Path.GetDirectoryName(_temp)!);
            else File.WriteAllBytes(_temp, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoException($"cannot write to {dir}: {e.Message}", e);
        }
        var (args, notices) = EncoderArguments.Build(settings, _temp);
        Notices = notices;
        _ffmpeg = FfmpegProcess.Start("ffmpeg", args, stdin: true, stdout: false, yieldToInference: true);
    }

    public IReadOnlyList<string> Notices { get; }

    public void Write(VideoFrame frame)
    {
        try
        {
            _ffmpeg.Input.Write(frame.Prefix, 0, frame.PrefixLength);
            if (frame.HasPixels) _ffmpeg.Input.Write(frame.Pixels, 0, frame.Pixels.Length);
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
        var final = Path.GetFullPath(_settings.OutputPath);
        if (!_settings.Format.IsImageSequence)
        {
            File.Move(_temp, final, overwrite: true);
            return;
        }
        var tempDir = Path.GetDirectoryName(_temp)!;
        foreach (var file in Directory.GetFiles(tempDir).Order(StringComparer.Ordinal))
            File.Move(file, Path.Combine(Path.GetDirectoryName(final)!, Path.GetFileName(file)), overwrite: true);
        Directory.Delete(tempDir);
    }

    /// <summary>Stops FFmpeg and removes the temporary output.</summary>
    public void Abort()
    {
        _ffmpeg.Kill();
        _done = true;
        try
        {
            if (_settings.Format.IsImageSequence) Directory.Delete(Path.GetDirectoryName(_temp)!, recursive: true);
            else File.Delete(_temp);
        }
        catch (IOException) { }
    }

    private static string SequenceGlob(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(Path.GetFileName(pattern), "%0?\\d*d", "*");

    public void Dispose()
    {
        if (!_done) Abort();
        _ffmpeg.Dispose();
    }
}
