using LiveStyle.Media.Video;

namespace LiveStyle.Render.Video;

/// <summary>
/// Everything the encoder needs to know about one output file. <see cref="Source"/> is the decoded
/// file whose container bytes come with each frame (convert); null for live frames, which are raw
/// pixels timestamped on arrival and encoded for speed (a recording).
/// </summary>
public sealed record EncodeSettings(
    string OutputPath, OutputFormat Format, VideoCodec Codec, int? Crf, string Preset, int Width, int Height,
    VideoInfo? Source, TimeSpan? Start = null, TimeSpan? End = null)
{
    /// <summary>The video alone: a part of a conversion, whose sound, subtitles and chapters the join adds.</summary>
    public bool VideoOnly { get; init; }

    public bool Live => Source == null;

    /// <summary>A live recording in the container <paramref name="path"/>'s extension names (x264 CRF 20, or VP9 CRF 32 for WebM).</summary>
    public static EncodeSettings Recording(string path, int width, int height)
    {
        var format = OutputFormat.FromPath(path);
        var codec = format.DefaultCodec;
        return new EncodeSettings(path, format, codec, codec == VideoCodec.Vp9 ? 32 : 20, "veryfast", width, height, null);
    }
}
