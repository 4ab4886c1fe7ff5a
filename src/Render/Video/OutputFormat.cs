namespace LiveStyle.Render.Video;

public enum VideoCodec { H264, H265, Vp9, ProRes }

/// <summary>What each output container holds, and what has to be converted to fit in it.</summary>
public sealed record OutputFormat(
    string Name, string Muxer, VideoCodec[] Codecs, string[] AudioCopyable, string? AudioEncoder, string? SubtitleEncoder, bool Chapters)
{
    private static readonly string[] TextSubtitles = ["subrip", "ass", "ssa", "mov_text", "webvtt", "text"];

    public static readonly OutputFormat Mp4 = new("mp4", "mp4", [VideoCodec.H264, VideoCodec.H265], ["aac", "mp3", "ac3", "eac3", "alac"], "aac", "mov_text", true);
    public static readonly OutputFormat Mov = new("mov", "mov", [VideoCodec.H264, VideoCodec.H265, VideoCodec.ProRes],
        ["aac", "mp3", "ac3", "eac3", "alac", "pcm_s16le", "pcm_s24le"], "aac", "mov_text", true);
    public static readonly OutputFormat Mkv = new("mkv", "matroska", [VideoCodec.H264, VideoCodec.H265, VideoCodec.Vp9, VideoCodec.ProRes], ["*"], null, "copy", true);
    public static readonly OutputFormat Webm = new("webm", "webm", [VideoCodec.Vp9], ["opus", "vorbis"], "libopus", "webvtt", true);
    public static readonly OutputFormat Gif = new("gif", "gif", [], [], null, null, false);
    public static readonly OutputFormat PngSequence = new("png sequence", "image2", [], [], null, null, false);

    public bool HoldsAudio => AudioCopyable.Length > 0;
    public bool IsImageSequence => this == PngSequence;

    /// <summary>By extension; a path with a %d pattern ending in .png is a PNG sequence.</summary>
    public static OutputFormat FromPath(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".png" && path.Contains('%')) return PngSequence;
        return ext switch
        {
            ".mp4" or ".m4v" => Mp4,
            ".mov" => Mov,
            ".mkv" => Mkv,
            ".webm" => Webm,
            ".gif" => Gif,
            _ => throw new ArgumentException($"{path}: unknown output format '{ext}' (use .mp4, .mkv, .mov, .webm, .gif, or a PNG sequence like frames/frame_%05d.png)"),
        };
    }

    public VideoCodec DefaultCodec => Codecs.Length == 0 ? VideoCodec.H264 : Codecs[0] == VideoCodec.Vp9 || this == Webm ? VideoCodec.Vp9 : VideoCodec.H264;

    public bool CanCopyAudio(string codec) => AudioCopyable.Contains("*") || AudioCopyable.Contains(codec);

    public bool CanHoldSubtitle(string codec) => SubtitleEncoder == "copy" || (SubtitleEncoder != null && TextSubtitles.Contains(codec));

    public static VideoCodec ParseCodec(string text) => text.ToLowerInvariant() switch
    {
        "h264" or "avc" => VideoCodec.H264,
        "h265" or "hevc" => VideoCodec.H265,
        "vp9" => VideoCodec.Vp9,
        "prores" => VideoCodec.ProRes,
        _ => throw new ArgumentException($"unknown codec '{text}': use h264, h265, vp9 or prores"),
    };
}
