using LiveStyle.Render.Controls;
using LiveStyle.Render.Http;
using LiveStyle.Render.Sinks.V4l2;
using LiveStyle.Render.Video;

namespace LiveStyle.Render.Sinks;

/// <summary>Reads --sink specs: window, http://HOST:PORT, udp:// srt:// rtmp://, v4l2:/dev/videoN, or a file to record to.</summary>
public static class SinkFactory
{
    public const string Window = "window";
    /// <summary>Checks the spec's form without opening anything; usage mistakes stop the run before it starts.</summary>
    public static void Validate(string spec, bool allowRemote)
    {
        if (spec == Window || spec.StartsWith("v4l2:", StringComparison.Ordinal)) return;
        if (spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            HttpAccess.CheckHost(HostPort(spec).Host, allowRemote, spec);
            return;
        }
        if (spec.Contains("://"))
        {
            var scheme = spec[..spec.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant();
            if (scheme is "udp" or "srt" or "rtmp") return;
            throw new SinkException($"unknown sink '{spec}': use window, http://127.0.0.1:PORT, udp://HOST:PORT, srt://, rtmp://, v4l2:/dev/videoN, or a file to record to");
        }
        try { OutputFormat.FromPath(spec); }
        catch (ArgumentException) { throw new SinkException($"unknown sink '{spec}': use window, http://127.0.0.1:PORT, udp://HOST:PORT, srt://, rtmp://, v4l2:/dev/videoN, or a file to record to (.mp4 .mkv .mov .webm)"); }
    }

    /// <summary>Opens the sink; failures (port in use, unwritable path, wrong device) are SinkExceptions the caller may outlive.</summary>
    public static IFrameSink Create(string spec, int width, int height, ILiveControls controls, bool allowRemote, Action<string> notice)
    {
        if (spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var (host, port) = HostPort(spec);
            var token = HttpAccess.Token(allowRemote);
            var sink = new HttpSink(host, port, token, controls);
            notice($"browser source at {HttpHost.Url(host, port, token)}");
            return sink;
        }
        if (spec.StartsWith("v4l2:", StringComparison.Ordinal)) return new V4l2LoopbackSink(new V4l2DeviceFile(spec[5..]), width, height);
        if (spec.Contains("://")) return FfmpegSink.Network(spec, width, height);
        return new RecordingSink(spec, width, height, notice);
    }

    private static (string Host, int Port) HostPort(string spec)
    {
        if (!Uri.TryCreate(spec, UriKind.Absolute, out var uri) || uri.Port <= 0)
            throw new SinkException($"{spec}: expected http://HOST:PORT, e.g. http://127.0.0.1:8080");
        return (uri.Host, uri.Port);
    }
}
