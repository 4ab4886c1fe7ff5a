using LiveStyle.Capture.Video;
using LiveStyle.Render.Video;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// Shown frames into the ffmpeg executable, timestamped by their arrival (so the output keeps real
/// time whatever the display rate): H.264 in MPEG-TS over udp:// or srt://, in FLV over rtmp://, or a
/// recording in the container its extension names, written under a temporary name and renamed when
/// finalised at exit.
/// </summary>
public sealed class FfmpegSink : IFrameSink
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly string? _temp, _final;
    private bool _completed;

    private FfmpegSink(string name, List<string> output, int width, int height, string? temp, string? final)
    {
        Name = name;
        (_temp, _final) = (temp, final);
        var args = new List<string>
        {
            "-v", "error", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{width}x{height}", "-use_wallclock_as_timestamps", "1", "-i", "pipe:0",
            "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2:out_color_matrix=bt601:out_range=tv,format=yuv420p",
        };
        args.AddRange(FfmpegTiming.PassthroughArguments);
        args.AddRange(output);
        _ffmpeg = FfmpegProcess.Start("ffmpeg", args, stdin: true, stdout: false);
    }

    public string Name { get; }

    public static FfmpegSink Network(string url, int width, int height)
    {
        var scheme = url[..url.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant();
        if (scheme == "srt" && !Protocols().Contains("srt")) throw new SinkException("this FFmpeg was built without SRT; use udp:// or rtmp://");
        var muxer = scheme == "rtmp" ? "flv" : "mpegts";
        string[] video = ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30", "-bf", "0", "-f", muxer, url];
        return new FfmpegSink(url, [.. video], width, height, null, null);
    }

    public static FfmpegSink Recording(string path, int width, int height)
    {
        var format = OutputFormat.FromPath(path);
        if (format == OutputFormat.Gif || format.IsImageSequence) throw new SinkException($"{path}: record to .mp4, .mkv, .mov or .webm");
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new SinkException($"cannot record to {path}: folder {dir} does not exist");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try { File.WriteAllBytes(temp, []); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new SinkException($"cannot record to {path}: {e.Message}"); }
        string[] codec = format == OutputFormat.Webm
            ? ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32", "-deadline", "realtime", "-cpu-used", "8"]
            : ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20"];
        string[] extra = format == OutputFormat.Mp4 || format == OutputFormat.Mov ? ["-movflags", "+faststart"] : [];
        return new FfmpegSink(path, [.. codec, .. extra, "-y", "-f", format.Muxer, temp], width, height, temp, full);
    }

    public void Write(SinkFrame frame)
    {
        try { _ffmpeg.Input.Write(frame.Bgr, 0, frame.Bgr.Length); }
        catch (IOException) { throw new SinkException($"{Name}: {(_ffmpeg.WaitForExit() != 0 ? _ffmpeg.LastError : "FFmpeg stopped")}"); }
    }

    /// <summary>Ends the stream; a recording is finalised by FFmpeg and then renamed into place.</summary>
    public void Complete()
    {
        try { _ffmpeg.Input.Close(); } catch (IOException) { }
        var ok = _ffmpeg.WaitForExit() == 0;
        _completed = true;
        if (_temp == null) return;
        if (!ok)
        {
            File.Delete(_temp);
            throw new SinkException($"recording {Name} failed: {_ffmpeg.LastError}");
        }
        File.Move(_temp, _final!, overwrite: true);
    }

    private static string Protocols()
    {
        using var probe = FfmpegProcess.Start("ffmpeg", ["-hide_banner", "-protocols"], stdin: false, stdout: true);
        var text = new StreamReader(probe.Output).ReadToEnd();
        probe.WaitForExit();
        return text;
    }

    public void Dispose()
    {
        _ffmpeg.Dispose();
        if (!_completed && _temp != null && File.Exists(_temp)) File.Delete(_temp);
    }

    public override string ToString() => Name;
}
