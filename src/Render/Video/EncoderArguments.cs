using LiveStyle.Media.Video;

namespace LiveStyle.Render.Video;

/// <summary>
/// The ffmpeg command line for one output: stylized video from our pipe as input 0, the original
/// file as input 1 for its audio, subtitles, chapters and metadata (trimmed identically); each
/// stream copied when the container holds it, converted when it can, dropped with a notice otherwise.
/// </summary>
public static class EncoderArguments
{
    public static (List<string> Args, List<string> Notices) Build(EncodeSettings s, string target)
    {
        var f = s.Format;
        var notices = new List<string>();
        var args = new List<string> { "-v", "error", "-y" };
        args.AddRange(s.Live
            ? ["-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{s.Width}x{s.Height}", "-use_wallclock_as_timestamps", "1", "-i", "pipe:0"]
            : ["-f", "matroska", "-i", "pipe:0"]);
        var carryExtras = !s.VideoOnly && (f.HoldsAudio || f.SubtitleEncoder != null || f.Chapters);
        var source = s.Source;
        var hasExtras = source != null && (source.Audio.Count > 0 || source.Subtitles.Count > 0 || source.Chapters > 0);
        if (carryExtras && hasExtras && !source!.Path.Contains('%'))
        {
            args.AddRange(FfmpegTiming.TrimArguments(s.Start, s.End));
            args.AddRange(["-i", source.Path]);
        }
        else hasExtras = false;

        args.AddRange(["-map", "0:v:0"]);
        args.AddRange(Video(s, notices));
        if (hasExtras) args.AddRange(Extras(s, notices));
        else if (source is { Audio.Count: > 0 } && !f.HoldsAudio) notices.Add($"{f.Name} output holds no audio; {source.Audio.Count} audio stream(s) left out");
        args.AddRange([.. FfmpegTiming.PassthroughArguments, "-f", f.Muxer, target]);
        return (args, notices);
    }

    /// <summary>
    /// Joins parts without re-encoding: input 0 the parts as FFmpeg's concat demuxer reads them (<paramref name="list"/>,
    /// each part with the duration it spans in the original), input 1 the original for its sound, subtitles, chapters and
    /// metadata, handled as <see cref="Build"/> handles them.
    /// </summary>
    public static (List<string> Args, List<string> Notices) Join(EncodeSettings s, string list, string target)
    {
        var notices = new List<string>();
        var args = new List<string> { "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list };
        var source = s.Source!;
        var hasExtras = source.Audio.Count > 0 || source.Subtitles.Count > 0 || source.Chapters > 0;
        if (hasExtras) args.AddRange(["-i", source.Path]);
        args.AddRange(["-map", "0:v:0", "-c:v", "copy"]);
        if (hasExtras) args.AddRange(Extras(s, notices));
        if (s.Format == OutputFormat.Mp4 || s.Format == OutputFormat.Mov) args.AddRange(["-movflags", "+faststart"]);
        args.AddRange([.. FfmpegTiming.PassthroughArguments, "-f", s.Format.Muxer, target]);
        return (args, notices);
    }

    private static IEnumerable<string> Video(EncodeSettings s, List<string> notices)
    {
        if (s.Format == OutputFormat.Gif)
            return ["-vf", "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer", "-loop", "0"];
        if (s.Format.IsImageSequence) return ["-c:v", "png"];

        if (!s.Format.Codecs.Contains(s.Codec))
            throw new ArgumentException($"{s.Format.Name} cannot hold {s.Codec}; use one of {string.Join(", ", s.Format.Codecs)} or another container");
        // SD pictures use BT.601, HD ones BT.709, limited range: what players assume for untagged video too.
        var hd = s.Height >= 720;
        var (matrix, tag) = hd ? ("bt709", "bt709") : ("bt601", "smpte170m");
        var odd = s.Width % 2 == 1 || s.Height % 2 == 1;
        var pixelFormat = s.Codec switch
        {
            VideoCodec.ProRes => "yuv422p10le",
            VideoCodec.Vp9 => "yuv420p",
            _ when odd => "yuv444p",
            _ => "yuv420p",
        };
        if (odd && pixelFormat == "yuv444p")
            notices.Add($"{s.Width}x{s.Height} is odd-sized and 4:2:0 {s.Codec} needs even sizes, so this file is 4:4:4 (not every player shows it); pick an even --size for a 4:2:0 file");
        var args = new List<string> { "-vf", $"scale=out_color_matrix={matrix}:out_range=tv,format={pixelFormat}" };
        args.AddRange(s.Codec switch
        {
            VideoCodec.H264 => ["-c:v", "libx264", "-preset", s.Preset, "-crf", (s.Crf ?? 18).ToString()],
            VideoCodec.H265 => ["-c:v", "libx265", "-preset", s.Preset, "-crf", (s.Crf ?? 22).ToString(), "-tag:v", "hvc1", "-x265-params", "log-level=error"],
            VideoCodec.Vp9 => ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", (s.Crf ?? 30).ToString(), "-row-mt", "1", "-deadline", s.Live ? "realtime" : "good", "-cpu-used", s.Live ? "8" : "4"],
            _ => ["-c:v", "prores_ks", "-profile:v", "3"],
        });
        args.AddRange(["-colorspace", tag, "-color_primaries", hd ? "bt709" : "smpte170m", "-color_trc", tag, "-color_range", "tv"]);
        if (s.Format == OutputFormat.Mp4 || s.Format == OutputFormat.Mov) args.AddRange(["-movflags", "+faststart"]);
        return args;
    }

    private static IEnumerable<string> Extras(EncodeSettings s, List<string> notices)
    {
        var f = s.Format;
        var args = new List<string>();
        var audioOut = 0;
        foreach (var a in s.Source!.Audio)
        {
            if (!f.HoldsAudio) break;
            args.AddRange(["-map", $"1:{a.Index}"]);
            // FFmpeg 5.1 offsets the video by the seek time when trimmed audio is stream-copied, so trimming re-encodes.
            var trimmed = s.Start != null || s.End != null;
            if (f.CanCopyAudio(a.Codec) && !trimmed) args.AddRange([$"-c:a:{audioOut}", "copy"]);
            else
            {
                var encoder = f.AudioEncoder ?? "aac";
                args.AddRange([$"-c:a:{audioOut}", encoder, $"-b:a:{audioOut}", "192k"]);
                if (!trimmed) notices.Add($"audio stream {a.Index} ({a.Codec}) re-encoded as {encoder}: {f.Name} cannot hold {a.Codec}");
            }
            audioOut++;
        }
        if (!f.HoldsAudio && s.Source.Audio.Count > 0) notices.Add($"{f.Name} output holds no audio; {s.Source.Audio.Count} audio stream(s) left out");

        var subtitleOut = 0;
        foreach (var sub in s.Source.Subtitles)
        {
            if (!f.CanHoldSubtitle(sub.Codec))
            {
                notices.Add($"subtitle stream {sub.Index} ({sub.Codec}) left out: {f.Name} cannot hold it");
                continue;
            }
            args.AddRange(["-map", $"1:{sub.Index}", $"-c:s:{subtitleOut++}", f.SubtitleEncoder!]);
        }
        args.AddRange(["-map_metadata", "1", "-map_chapters", f.Chapters ? "1" : "-1"]);
        return args;
    }
}
