using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using LiveStyle.Pipeline.Measure;

namespace LiveStyle.Cli.Commands;

/// <summary>`bench painting`: how fast a painting becomes a style (the transformer's own speed is `bench --arch magenta`).</summary>
public static class PaintingBenchCommand
{
    public static Command Create()
    {
        var painting = new Option<string>("--painting", "-p") { Description = "The painting to time", Required = true };
        var size = new Option<string>("--size") { Description = "Frame size the new style is bound to (WxH)", DefaultValueFactory = _ => "640x480" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 2 }.Within(0, 10_000);
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 10 }.Within(1, 10_000);
        var options = CommonOptions.Painting();
        var threads = CommonOptions.Threads();
        var command = new Command("painting", "Measure the style predictor and the time from a painting file to its first stylized frame")
        {
            painting, size, options.Size, warmup, repeats, threads,
        };
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var (width, height) = CommonOptions.ParseSize(parse.GetValue(size), "--size")!.Value;
            using var loader = ModelLoading.Loader(options.Parse(parse));
            var clock = Stopwatch.StartNew();
            var styles = await loader.PaintingsAsync(cancel);
            var open = clock.Elapsed.TotalMilliseconds;
            var t = PaintingTimings.Measure(styles, parse.GetValue(painting)!, loader.Painting, width, height, parse.GetValue(warmup), parse.GetValue(repeats));
            Console.WriteLine(new JsonObject
            {
                ["painting"] = Path.GetFileName(parse.GetValue(painting)), ["painting_size"] = loader.Painting.Size, ["frame"] = $"{width}x{height}",
                ["threads"] = Models.Inference.InferenceThreads.Count, ["networks_open_ms"] = Math.Round(open, 1), ["predictor_ms"] = Math.Round(t.PredictMs, 2),
                ["painting_to_first_frame_ms"] = Math.Round(t.ReadyMs, 1), ["first_frame_ms"] = Math.Round(t.FirstFrameMs, 1),
            }.ToJsonString());
            return 0;
        });
        return command;
    }
}
