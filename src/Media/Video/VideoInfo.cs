using System.Globalization;
using System.Text.Json;

namespace LiveStyle.Media.Video;

public sealed record StreamInfo(int Index, string Codec);

/// <summary>What ffprobe says about a file: its first video stream, the other streams, chapters.</summary>
public sealed record VideoInfo(
    string Path, int Width, int Height, int Rotation, long? FrameCount, double? Duration, double? FrameRate,
    IReadOnlyList<StreamInfo> Audio, IReadOnlyList<StreamInfo> Subtitles, int Chapters, bool FrameCountDeclared = false)
{
    /// <summary>Size as shown: a 90° or 270° rotation tag swaps width and height (FFmpeg rotates frames on decode).</summary>
    public (int Width, int Height) DisplaySize => Math.Abs(Rotation) % 180 == 90 ? (Height, Width) : (Width, Height);

    public static VideoInfo Probe(string path)
    {
        if (!File.Exists(path) && !path.Contains('%')) throw new VideoException($"{path} does not exist");
        if (File.Exists(path) && new FileInfo(path).Length == 0) throw new VideoException($"{path} is empty");
        using var probe = FfmpegProcess.Start("ffprobe",
            ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", "-show_chapters", path], stdin: false, stdout: true);
        var json = new StreamReader(probe.Output).ReadToEnd();
        if (probe.WaitForExit() != 0) throw new VideoException($"{path} is not a readable video: {probe.LastError}");
        return Parse(path, json);
    }

    public static VideoInfo Parse(string path, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var streams = root.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => Kind(x) == "video" && !IsAttachedPicture(x));
        if (video.ValueKind == JsonValueKind.Undefined) throw new VideoException($"{path} has no video stream");

        var duration = Number(video, "duration") ?? (root.TryGetProperty("format", out var f) ? Number(f, "duration") : null);
        var rate = Rate(video, "avg_frame_rate") ?? Rate(video, "r_frame_rate");
        long? frames = video.TryGetProperty("nb_frames", out var nb) && long.TryParse(nb.GetString(), out var n) && n > 0 ? n : null;
        var declared = frames != null;
        frames ??= duration is { } d && rate is { } r ? (long)Math.Round(d * r) : null;
        return new VideoInfo(path, video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32(), ReadRotation(video),
            frames, duration, rate,
            streams.Where(x => Kind(x) == "audio").Select(Info).ToList(),
            streams.Where(x => Kind(x) == "subtitle").Select(Info).ToList(),
            root.TryGetProperty("chapters", out var ch) ? ch.GetArrayLength() : 0, declared);
    }

    private static string Kind(JsonElement s) => s.TryGetProperty("codec_type", out var t) ? t.GetString() ?? "" : "";

    private static bool IsAttachedPicture(JsonElement s) =>
        s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.GetInt32() == 1;

    private static StreamInfo Info(JsonElement s) => new(s.GetProperty("index").GetInt32(), s.TryGetProperty("codec_name", out var c) ? c.GetString() ?? "" : "");

    private static int ReadRotation(JsonElement video)
    {
        if (video.TryGetProperty("side_data_list", out var list))
            foreach (var sd in list.EnumerateArray())
                if (sd.TryGetProperty("rotation", out var r)) return (int)Math.Round(r.GetDouble());
        if (video.TryGetProperty("tags", out var tags) && tags.TryGetProperty("rotate", out var rotate) && int.TryParse(rotate.GetString(), out var deg))
            return -deg; // the legacy tag is clockwise, display-matrix rotation counter-clockwise
        return 0;
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static double? Rate(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.GetString() is not { } text) return null;
        var parts = text.Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var a) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var b) && a > 0 && b > 0
            ? a / b
            : null;
    }
}
