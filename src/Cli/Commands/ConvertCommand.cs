using System.CommandLine;
using System.Globalization;
using LiveStyle.Capture.Video;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Pipeline.Styles;
using LiveStyle.Render.Video;

namespace LiveStyle.Cli.Commands;

public static class ConvertCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Style name (see 'models list') or a model file/folder", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "A video FFmpeg can read (or an image sequence like frame_%05d.png), or a folder of videos", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output file (.mp4 .mkv .mov .webm .gif, or frames/f_%05d.png), or a folder", Required = true };
        var codec = new Option<string>("--codec") { Description = "h264, h265, vp9 or prores (default: h264; vp9 for .webm)" };
        var crf = new Option<int?>("--crf") { Description = "Quality 0..63 (lower is better; default h264 18, h265 22, vp9 30)" }.Within(0, 63);
        var preset = new Option<string>("--preset") { Description = "x264/x265 speed preset", DefaultValueFactory = _ => "medium" };
        var size = new Option<string>("--size") { Description = "Processing and output size WxH" };
        var maxSize = CommonOptions.MaxSize("Shrink so the longer side is at most N pixels");
        var start = new Option<string>("--start") { Description = "Start time (seconds or hh:mm:ss.ms)" };
        var end = new Option<string>("--end") { Description = "End time (seconds or hh:mm:ss.ms)" };
        var strength = CommonOptions.Strength("0 keeps the original, 1 the full style");
        var stabilize = CommonOptions.Stabilize();
        var format = new Option<string>("--format") { Description = "Container for folder output (mp4, mkv, mov, webm, gif; default mp4)", DefaultValueFactory = _ => "mp4" };
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var engine = CommonOptions.Engine();
        var force = CommonOptions.Force();
        var painting = CommonOptions.Painting();
        var part = new Option<string>("--part")
        {
            Description = "Convert only part K of N of each input (K/N, or auto/N to take K from Slurm's SLURM_ARRAY_TASK_ID or Kubernetes' JOB_COMPLETION_INDEX) into the folder -o; `livestyle join` makes the video (docs/SCALE.md)",
        };
        var command = new Command("convert", "Stylize videos: sound, subtitles, chapters and timing kept; Ctrl+C leaves no output file")
        {
            model, input, output, codec, crf, preset, size, maxSize, start, end, strength, stabilize, format, painting.Size, painting.Intensity, part, device, precision, engine, threads, force,
        };

        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var s = parse.GetValue(strength);
            var options = new ConversionOptions(
                CommonOptions.ParseSize(parse.GetValue(size), "--size"), parse.GetValue(maxSize), ParseTime(parse.GetValue(start), "--start"), ParseTime(parse.GetValue(end), "--end"),
                parse.GetValue(codec) is { } c ? OutputFormat.ParseCodec(c) : null, parse.GetValue(crf), parse.GetValue(preset)!, s, parse.GetValue(force), parse.GetValue(stabilize) ?? 0);
            if (options.Start is { } a && options.End is { } b && b <= a) throw new CliException("--end must be after --start");
            if (parse.GetValue(part) is { } partText)
                return await ConvertPart(parse, partText, parse.GetValue(model)!, options, painting.Parse(parse), parse.GetValue(format)!,
                    (CommonOptions.ParseDevice(parse.GetValue(device)!), CommonOptions.ParsePrecision(parse.GetValue(precision)!), CommonOptions.ParseEngine(parse.GetValue(engine)!)),
                    parse.GetValue(input)!, parse.GetValue(output)!, cancel);
            var jobs = Plan(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(format)!);
            var name = parse.GetValue(model)!;
            var (dev, prec, eng) = (CommonOptions.ParseDevice(parse.GetValue(device)!), CommonOptions.ParsePrecision(parse.GetValue(precision)!), CommonOptions.ParseEngine(parse.GetValue(engine)!));
            using var loader = ModelLoading.Loader(painting.Parse(parse));
            // A painting at an intensity below 1 moves towards each video's own style (its first frame's): one network per video.
            var perVideo = StyleLoader.IsPainting(name) && loader.Painting.Intensity < 1;
            using var shared = perVideo ? null : await loader.LoadAsync(name, dev, prec, eng, cancel);

            var failures = new List<string>();
            foreach (var (from, to) in jobs)
            {
                try
                {
                    using var own = perVideo ? await loader.LoadAsync(name, dev, prec, eng, cancel, ReferenceFrame.Read(from)) : null;
                    var result = Convert(from, to, own ?? shared!, options, cancel);
                    Console.WriteLine($"{to}\t{result.Frames} frames\t{result.Width}x{result.Height}\t{result.Frames / result.Elapsed.TotalSeconds:F2} fps" +
                                      $"\t(inference {result.Inference.TotalSeconds / result.Elapsed.TotalSeconds:P0} of wall time)");
                }
                catch (Exception e) when (jobs.Count > 1 && e is not OperationCanceledException)
                {
                    failures.Add($"{from}: {ErrorReporter.OneLine(e)}");
                    Terminal.Notice($"skipped {from}: {ErrorReporter.OneLine(e)}");
                }
            }
            if (jobs.Count > 1) Console.WriteLine($"{jobs.Count - failures.Count} of {jobs.Count} videos converted into {parse.GetValue(output)}");
            return failures.Count == 0 ? 0 : ErrorReporter.Failure;
        });
        return command;
    }

    /// <summary>--part: this machine's part of each input into the folder -o, recorded for `join`.</summary>
    private static async Task<int> ConvertPart(ParseResult parse, string partText, string name, ConversionOptions options, PaintingOptions painting, string format,
        (Tensors.Device Device, Precision Precision, Engine Engine) run, string input, string output, CancellationToken cancel)
    {
        (int Part, int Parts) which;
        try { which = Pipeline.Parts.PartPlan.Parse(partText, Environment.GetEnvironmentVariable); }
        catch (ArgumentException e) { throw new CliException(e.Message); }
        if (File.Exists(output)) throw new CliException($"{output} is a file; --part writes into a folder of parts");
        var extension = "." + format.TrimStart('.').ToLowerInvariant();
        OutputFormat.FromPath("x" + extension);
        var inputs = Directory.Exists(input)
            ? Directory.EnumerateFiles(input).Where(VideoFiles.IsVideoPath).Order(StringComparer.Ordinal).ToList()
            : [input];
        if (inputs.Count == 0) throw new CliException($"{input} holds no videos ({string.Join(" ", VideoFiles.Extensions)})");
        if (!File.Exists(inputs[0])) throw new CliException($"input {inputs[0]} does not exist");
        try { Directory.CreateDirectory(output); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliException($"cannot create the parts folder {output}: {e.Message}"); }

        using var loader = ModelLoading.Loader(painting);
        if (StyleLoader.IsPainting(name) && painting.Intensity < 1) throw new CliException("--intensity below 1 follows each video's first frame, which a part does not see: convert the whole video, or use --strength");
        using var model = await loader.LoadAsync(name, run.Device, run.Precision, run.Engine, cancel);
        // Everything that decides the pixels: parts join only when it is the same on every machine.
        var settings = string.Join(";", $"model={loader.Identity(name)}", $"strength={options.Strength:R}", $"stabilize={options.Stabilize:R}",
            $"size={options.Size?.ToString() ?? "source"}", $"max_size={options.MaxSize}", $"codec={options.Codec?.ToString() ?? "default"}", $"crf={options.Crf?.ToString() ?? "default"}",
            $"preset={options.Preset}", $"format={extension}", $"precision={run.Precision}");
        foreach (var from in inputs)
        {
            var result = Terminal.WithProgress($"{Path.GetFileName(from)} part {which.Part}/{which.Parts}", 0, report =>
                Pipeline.Parts.PartJourney.Run(from, output, extension, which.Part, which.Parts, model, settings, options,
                    (done, total) => report(total is { } t && t > 0 ? 100.0 * done / t : 0, $"{Path.GetFileName(from)} part {which.Part}/{which.Parts}: {done}/{total} frames"),
                    Terminal.Notice, cancel));
            var range = result.Range;
            Console.WriteLine(result.Skipped
                ? $"{result.Video}	part {which.Part} of {which.Parts}	frames {range.FirstFrame}-{range.FirstFrame + range.Frames - 1}	already complete; skipped"
                : $"{result.Video}	part {which.Part} of {which.Parts}	frames {range.FirstFrame}-{range.FirstFrame + range.Frames - 1}	{result.Conversion!.Frames / result.Conversion.Elapsed.TotalSeconds:F2} fps");
        }
        return 0;
    }

    private static ConversionResult Convert(string from, string to, StyleModel model, ConversionOptions options, CancellationToken cancel) =>
        Terminal.WithProgress($"{Path.GetFileName(from)}", 0, report =>
        {
            var started = DateTime.UtcNow;
            return VideoJourney.Run(from, to, model, options,
                (done, total) =>
                {
                    var fps = done / Math.Max(1e-3, (DateTime.UtcNow - started).TotalSeconds);
                    var eta = total is { } t && fps > 0 ? $", ETA {TimeSpan.FromSeconds(Math.Max(0, t - done) / fps):hh\\:mm\\:ss}" : "";
                    report(total is { } tt && tt > 0 ? 100.0 * done / tt : 0, $"{Path.GetFileName(from)}: {done}/{total?.ToString() ?? "?"} frames, {fps:F1} fps{eta}");
                },
                Terminal.Notice, cancel);
        });

    private static List<(string From, string To)> Plan(string input, string output, string format)
    {
        if (!Directory.Exists(input)) return [(input, output)];
        var ext = "." + format.TrimStart('.').ToLowerInvariant();
        OutputFormat.FromPath("x" + ext);
        var videos = Directory.EnumerateFiles(input).Where(VideoFiles.IsVideoPath)
            .Order(StringComparer.Ordinal).ToList();
        if (videos.Count == 0) throw new CliException($"{input} holds no videos ({string.Join(" ", VideoFiles.Extensions)})");
        if (File.Exists(output)) throw new CliException($"{output} is a file; a folder input needs an output folder");
        try { Directory.CreateDirectory(output); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliException($"cannot create output folder {output}: {e.Message}"); }
        return videos.Select(v => (v, Path.Combine(output, Path.GetFileNameWithoutExtension(v) + ext))).ToList();
    }


    private const double MaxSeconds = 7 * 24 * 3600;

    private static TimeSpan? ParseTime(string? text, string option)
    {
        if (text == null) return null;
        // A week bounds it well inside TimeSpan (1e308 seconds would overflow) and beyond any video.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= MaxSeconds)
            return TimeSpan.FromSeconds(seconds);
        if (TimeSpan.TryParseExact(text, [@"h\:mm\:ss\.FFF", @"h\:mm\:ss", @"mm\:ss\.FFF", @"mm\:ss"], CultureInfo.InvariantCulture, out var t)) return t;
        throw new CliException($"{option} '{text}' is not a time between 0 and {MaxSeconds} seconds (seconds, or hh:mm:ss.ms)");
    }
}
