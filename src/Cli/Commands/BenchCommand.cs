using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Measure;
using LiveStyle.Tensors;
using Spectre.Console;

namespace LiveStyle.Cli.Commands;

/// <summary>
/// ms/frame per architecture, size and precision: warm-up runs, then the median of timed repeats.
/// With --pytorch the same network runs in PyTorch eager in the same invocation; with --model, real
/// weights are used and every reduced precision's deviation from fp32 is measured on the same input.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "Comma-separated architectures (random weights)", DefaultValueFactory = _ => string.Join(",", TransformNetConfig.Presets.Select(p => p.Name)) };
        var model = new Option<string>("--model", "-m") { Description = "Benchmark this model's real weights instead of --arch" };
        var image = new Option<string>("--image", "-i") { Description = "Input image (resized to each size); default: random pixels" };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated WxH", DefaultValueFactory = _ => "256x256,640x480,1280x720" };
        var precisions = new Option<string>("--precision") { Description = "Comma-separated precisions (fp32, bf16, fp16)", DefaultValueFactory = _ => "fp32" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 3 }.Within(0, 10_000);
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 10 }.Within(1, 10_000);
        var pytorch = new Option<bool>("--pytorch") { Description = $"Also time PyTorch eager on the same network (python3-torch; ${PyTorchReference.PythonVariable} picks the interpreter)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var batch = new Option<int>("--batch") { Description = "Frames per forward pass (times are reported per frame)", DefaultValueFactory = _ => 1 }.Within(1, 1024);
        var endToEnd = new Option<bool>("--end-to-end") { Description = "Also time whole frames: packed BGR bytes in host memory in, stylized bytes back (conversion and transfers included)" };
        var layout = new Option<string>("--layout") { Description = "Activation layout: auto (NCHW, the faster on every device measured), nchw or nhwc", DefaultValueFactory = _ => "auto" };
        var stabilize = new Option<float?>("--stabilize") { Description = "With --end-to-end, also time whole frames with temporal stabilisation at this strength (alternating with plain frames in one loop)" }.Within(0.01f, 1f);
        var engines = new Option<string>("--engine") { Description = "Comma-separated engines to time side by side: auto, onnx, torch (combinations an engine cannot run are skipped)", DefaultValueFactory = _ => "auto" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("bench", "Measure stylization speed (ms/frame) and reduced-precision deviation")
        {
            arch, model, image, sizes, precisions, warmup, repeats, pytorch, json, batch, endToEnd, stabilize, layout, engines, device, threads,
        };
        command.Subcommands.Add(TrainBenchCommand.Create());
        command.Subcommands.Add(PaintingBenchCommand.Create());
        command.Subcommands.Add(PixelsBenchCommand.Create());
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var dev = CommonOptions.ParseDevice(parse.GetValue(device)!);
            var (w, r) = (parse.GetValue(warmup), parse.GetValue(repeats));
            var frames = parse.GetValue(batch);
            var source = parse.GetValue(image) is { } path ? ImageCodec.Read(path) : null;
            Weights? weights = null;
            if (parse.GetValue(model) is { } m)
            {
                using var loader = ModelLoading.Loader();
                weights = await loader.WeightsAsync(m, cancel);
            }
            var configs = weights != null ? [weights.Info.Config] : Split(parse.GetValue(arch)!).Select(TransformNetConfig.Preset).ToArray();
            var sizeList = Split(parse.GetValue(sizes)!).Select(text =>
            {
                var (sw, sh) = CommonOptions.ParseSize(text, "--sizes")!.Value;
                return (text, sw, sh);
            }).ToList();
            var plan = new BenchPlan(configs, weights, source, sizeList, Split(parse.GetValue(precisions)!).Select(Precisions.Parse).ToList(),
                Split(parse.GetValue(engines)!).Select(Engines.Parse).ToList(), dev, ParseLayout(parse.GetValue(layout)!), w, r, frames,
                parse.GetValue(endToEnd), parse.GetValue(stabilize), parse.GetValue(pytorch));
            var results = BenchMatrix.Run(plan, Terminal.Notice, parse.GetValue(json) ? null : Terminal.Notice);
            if (parse.GetValue(json)) Console.WriteLine(results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else PrintTable(results);
            return 0;
        });
        return command;
    }

    private static MemoryFormat? ParseLayout(string text) => text switch
    {
        "auto" => null,
        "nchw" => MemoryFormat.Contiguous,
        "nhwc" => MemoryFormat.ChannelsLast,
        _ => throw new CliException($"--layout must be auto, nchw or nhwc, not '{text}'"),
    };

    private static void PrintTable(JsonArray results)
    {
        var table = new Table().AddColumns("arch", "size", "precision", "engine", "device", "threads", "median ms", "fps", "network ms", "end to end ms",
            "PyTorch eager ms", "vs fp32 (mean / max levels, ≤1 level)");
        foreach (var r in results)
        {
            var median = r!["median_ms"]!.GetValue<double>();
            var dev = r["deviation"] is { } d ? $"{d["mean_levels"]} / {d["max_levels"]}, {d["share_within_1_level"]!.GetValue<double>():P2}" : "-";
            table.AddRow(r["arch"]!.ToString(), r["size"]!.ToString(), r["precision"]!.ToString(), r["engine"]!.ToString(), r["device"]!.ToString(), r["threads"]!.ToString(),
                $"{median:F1}", $"{1000 / median:F1}", $"{r["network_ms"]!.GetValue<double>():F2}", r["end_to_end_ms"] is { } e ? $"{e.GetValue<double>():F2}" : "-",
                r["pytorch_median_ms"] is { } py ? $"{py.GetValue<double>():F1}" : r["pytorch_error"] != null ? "fails" : "-", dev);
        }
        AnsiConsole.Write(table);
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
