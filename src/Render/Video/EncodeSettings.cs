using LiveStyle.Capture.Video;

namespace LiveStyle.Render.Video;

/// <summary>Everything the encoder needs to know about one output file.</summary>
public sealed record EncodeSettings(
    string OutputPath, OutputFormat Format, VideoCodec Codec, int? Crf, string Preset, int Width, int Height,
    VideoInfo Source, TimeSpan? Start, TimeSpan? End);
