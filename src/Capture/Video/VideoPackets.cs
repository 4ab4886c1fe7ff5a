using System.Globalization;
using LiveStyle.Media.Video;

namespace LiveStyle.Capture.Video;

/// <summary>The first video stream's frames in presentation order: each one's timestamp (seconds) and whether it is a keyframe.</summary>
public sealed record VideoPackets(double[] Times, bool[] Keyframes)
{
    /// <summary>More frames than this (a week at 60 frames/s is 36 million) is not a video anyone converts in parts.</summary>
    public const int MaxFrames = 50_000_000;

    public int Count => Times.Length;

    /// <summary>Asks ffprobe for the packets' timestamps and flags: no decoding, so an hour of video takes seconds.</summary>
    public static VideoPackets Probe(string path)
    {
        using var probe = FfmpegProcess.Start("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", path], stdin: false, stdout: true);
        using var reader = new StreamReader(probe.Output);
        var frames = new List<(double Time, bool Key)>();
        while (reader.ReadLine() is { } line)
        {
            var comma = line.IndexOf(',');
            if (comma < 0 || !double.TryParse(line[..comma], NumberStyles.Float, CultureInfo.InvariantCulture, out var time)) continue; // no timestamp: not a frame
            if (frames.Count >= MaxFrames) throw new VideoException($"{path} has more than {MaxFrames:N0} frames");
            frames.Add((time, line.AsSpan(comma + 1).StartsWith("K")));
        }
        if (probe.WaitForExit() != 0) throw new VideoException($"{path} is not a readable video: {probe.LastError}");
        if (frames.Count == 0) throw new VideoException($"{path} has no video frames");
        frames.Sort((a, b) => a.Time.CompareTo(b.Time));
        return new VideoPackets(frames.Select(f => f.Time).ToArray(), frames.Select(f => f.Key).ToArray());
    }
}
