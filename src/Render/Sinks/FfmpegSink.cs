using LiveStyle.Media.Video;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// Shown frames streamed through the ffmpeg executable, timestamped by their arrival (so the stream
/// keeps real time whatever the display rate): H.264 in MPEG-TS over udp:// or srt://, in FLV over
/// rtmp://. Recordings to a file go through the recorder (<see cref="RecordingSink"/>).
/// </summary>
public sealed class FfmpegSink : IFrameSink
{
    private readonly FfmpegProcess _ffmpeg;

    private FfmpegSink(string url, string muxer, int width, int height)
    {
        Name = url;
        var args = new List<string>
        {
            "-v", "error", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{width}x{height}", "-use_wallclock_as_timestamps", "1", "-i", "pipe:0",
            "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2:out_color_matrix=bt601:out_range=tv,format=yuv420p",
        };
        args.AddRange(FfmpegTiming.PassthroughArguments);
        args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30", "-bf", "0", "-f", muxer, url]);
        _ffmpeg = FfmpegProcess.Start("ffmpeg", args, stdin: true, stdout: false);
    }

    public string Name { get; }

    public static FfmpegSink Network(string url, int width, int height)
    {
        var scheme = url[..url.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant();
        if (scheme == "srt" && !Protocols().Contains("srt")) throw new SinkException("this FFmpeg was built without SRT; use udp:// or rtmp://");
        return new FfmpegSink(url, scheme == "rtmp" ? "flv" : "mpegts", width, height);
    }

    public void Write(ReadOnlySpan<byte> bgr, int width, int height)
    {
        try { _ffmpeg.Input.Write(bgr); }
        catch (IOException) { throw new SinkException($"{Name}: {(_ffmpeg.WaitForExit() != 0 ? _ffmpeg.LastError : "FFmpeg stopped")}"); }
    }

    public void Complete()
    {
        try { _ffmpeg.Input.Close(); } catch (IOException) { }
        _ffmpeg.WaitForExit();
    }

    private static string Protocols()
    {
        using var probe = FfmpegProcess.Start("ffmpeg", ["-hide_banner", "-protocols"], stdin: false, stdout: true);
        var text = new StreamReader(probe.Output).ReadToEnd();
        probe.WaitForExit();
        return text;
    }

    public void Dispose() => _ffmpeg.Dispose();

    public override string ToString() => Name;
}
