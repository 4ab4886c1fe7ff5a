using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LiveStyle.Tests.Support;

/// <summary>The real ffmpeg/ffprobe executables, for making fixtures and checking outputs.</summary>
public static class Ffmpeg
{
    public static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }

    public static byte[] RunBytes(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        using var memory = new MemoryStream();
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.BaseStream.CopyTo(memory);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {err.Result}");
        return memory.ToArray();
    }

    /// <summary>Makes a clip: lavfi test pattern (and optionally sine tones as separate audio streams).</summary>
    public static void MakeClip(string path, int width, int height, double seconds, string rate = "10", int audioStreams = 1, params string[] extra)
    {
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={rate}:duration={seconds.ToString(CultureInfo.InvariantCulture)}" };
        for (var i = 0; i < audioStreams; i++) args.AddRange(["-f", "lavfi", "-i", $"sine=frequency={440 * (i + 1)}:duration={seconds.ToString(CultureInfo.InvariantCulture)}"]);
        args.AddRange(["-map", "0:v"]);
        for (var i = 0; i < audioStreams; i++) args.AddRange(["-map", $"{i + 1}:a"]);
        if (!extra.Contains("-pix_fmt")) args.AddRange(["-pix_fmt", "yuv420p"]);
        args.AddRange(extra);
        args.Add(path);
        Run("ffmpeg", [.. args]);
    }

    public sealed record Probe(JsonElement Root)
    {
        public IEnumerable<JsonElement> Streams(string type) => Root.GetProperty("streams").EnumerateArray().Where(s => s.GetProperty("codec_type").GetString() == type);
        public JsonElement Video => Streams("video").First();
        public int Width => Video.GetProperty("width").GetInt32();
        public int Height => Video.GetProperty("height").GetInt32();
        public long Frames => long.Parse(Video.GetProperty("nb_read_frames").GetString()!);
        public double Duration(JsonElement stream) => double.Parse(stream.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        public double FormatDuration => double.Parse(Root.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
    }

    public static Probe ProbeFile(string path)
    {
        var json = Run("ffprobe", "-v", "error", "-count_frames", "-print_format", "json", "-show_streams", "-show_format", "-show_chapters", path);
        return new Probe(JsonDocument.Parse(json).RootElement.Clone());
    }

    /// <summary>Presentation times of every video frame, in seconds.</summary>
    public static double[] FrameTimes(string path) =>
        Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time", "-of", "csv=p=0", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => double.Parse(l.Trim().TrimEnd(','), CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Decoded pictures of every frame, as 8-bit RGB, one after another.</summary>
    public static byte[] Pictures(string video) => RunBytes("ffmpeg", "-v", "error", "-i", video, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");

    /// <summary>Frame number <paramref name="index"/> decoded to packed RGB at the given size (scaled like the converter does).</summary>
    public static byte[] Frame(string path, int index, int width, int height) =>
        RunBytes("ffmpeg", "-v", "error", "-i", path, "-vf", $"select=eq(n\\,{index}),scale={width}:{height}:flags=area", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
}
