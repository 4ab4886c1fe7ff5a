using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveStyle.Capture.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
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
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 10 };
        var pytorch = new Option<bool>("--pytorch") { Description = $"Also time PyTorch eager on the same network (python3-torch; ${PyTorchReference.PythonVariable} picks the interpreter)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var batch = new Option<int>("--batch") { Description = "Frames per forward pass (times are reported per frame)", DefaultValueFactory = _ => 1 };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("bench", "Measure stylization speed (ms/frame) and reduced-precision deviation")
        {
            arch, model, image, sizes, precisions, warmup, repeats, pytorch, json, batch, device, threads,
        };
        command.Subcommands.Add(TrainBenchCommand.Create());
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var dev = CommonOptions.ParseDevice(parse.GetValue(device)!);
            var (w, r) = (parse.GetValue(warmup), parse.GetValue(repeats));
            if (w < 0 || r < 1) throw new CliException("--warmup must be >= 0 and --repeats >= 1");
            var frames = parse.GetValue(batch);
            if (frames < 1) throw new CliException("--batch must be >= 1");
            var source = parse.GetValue(image) is { } path ? ImageCodec.Read(path) : null;
            Weights? weights = null;
            if (parse.GetValue(model) is { } m)
                weights = WeightFiles.Load(await Models.Store.ModelResolver.ResolveAsync(m, Models.Store.ModelStore.FromEnvironment(), Terminal.Notice, cancel));
            var configs = weights != null ? [weights.Info.Config] : Split(parse.GetValue(arch)!).Select(TransformNetConfig.Preset).ToArray();

            var results = new JsonArray();
            foreach (var config in configs)
            foreach (var size in Split(parse.GetValue(sizes)!))
            {
                var (width, height) = CommonOptions.ParseSize(size, "--sizes")!.Value;
                using var scope = Torch.NewDisposeScope();
                var one = source != null ? ImageTensors.ToTensor(source.Resize(width, height)) : Torch.Rand([1, 3, height, width]) * 255.0;
                var input = frames == 1 ? one : Torch.Cat(Enumerable.Repeat(one, frames).ToList(), 0);
                float[]? reference = null;
                foreach (var p in Split(parse.GetValue(precisions)!).Select(Precisions.Parse).OrderBy(p => p))
                {
                    using var styleModel = Build(config, weights, dev, p);
                    var (batchSamples, output) = Time(styleModel, input, w, r);
                    var samples = batchSamples.Select(ms => ms / frames).ToArray();
                    var row = new JsonObject
                    {
                        ["arch"] = config.Name, ["model"] = weights?.Info.Style, ["size"] = size, ["precision"] = p.ToString().ToLowerInvariant(),
                        ["device"] = dev.ToString(), ["threads"] = Torch.Threads, ["batch"] = frames, ["median_ms"] = Median(samples),
                        ["samples_ms"] = new JsonArray(samples.Select(s => (JsonNode)s).ToArray()),
                    };
                    if (p == Precision.Fp32) reference = output;
                    else if (reference != null) row["deviation"] = Deviation(output, reference);
                    if (parse.GetValue(pytorch) && frames == 1 && !dev.IsCuda && p != Precision.Fp16 && config.Name != "custom")
                    {
                        var (ms, error) = TimePyTorch(config.Name, size, row["precision"]!.ToString(), w, r);
                        if (error == null) row["pytorch_median_ms"] = ms;
                        else row["pytorch_error"] = error;
                    }
                    results.Add(row);
                    if (!parse.GetValue(json)) Terminal.Notice($"{config.Name} {size} {p}: {Median(samples):F1} ms");
                }
            }
            if (parse.GetValue(json)) Console.WriteLine(results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else PrintTable(results);
            return 0;
        });
        return command;
    }

    private static StyleModel Build(TransformNetConfig config, Weights? weights, Device device, Precision precision) =>
        weights != null
            ? StyleModel.FromWeights(weights, device, precision)
            : StyleModel.FromNetwork(new TransformNet(config), new ModelInfo(config, "random", "bench", new Dictionary<string, string>()), device, precision);

    /// <summary>Each sample covers the forward pass and the copy of the result back to host memory.</summary>
    private static (double[] Samples, float[] Output) Time(StyleModel model, Tensor input, int warmup, int repeats)
    {
        var samples = new List<double>();
        float[] output = [];
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (var y = model.Stylize(input))
            {
                output = y.ToArray<float>();
            }
            if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return (samples.ToArray(), output);
    }

    /// <summary>Differences in 8-bit levels after rounding and clamping, as a saved image would have them.</summary>
    private static JsonObject Deviation(float[] output, float[] reference)
    {
        long sum = 0, within = 0;
        var max = 0;
        for (var i = 0; i < output.Length; i++)
        {
            var d = Math.Abs(ImageTensors.ToByte(output[i]) - ImageTensors.ToByte(reference[i]));
            sum += d;
            max = Math.Max(max, d);
            if (d <= 1) within++;
        }
        return new JsonObject
        {
            ["mean_levels"] = Math.Round((double)sum / output.Length, 3),
            ["max_levels"] = max,
            ["share_within_1_level"] = Math.Round((double)within / output.Length, 5),
        };
    }

    private static (double Ms, string? Error) TimePyTorch(string arch, string size, string precision, int warmup, int repeats)
    {
        var (result, error) = PyTorchReference.Run("pytorch_eager.py", "--arch", arch, "--size", size, "--threads", Torch.Threads.ToString(),
            "--precision", precision, "--warmup", warmup.ToString(), "--repeats", repeats.ToString());
        return (result?["median_ms"]!.GetValue<double>() ?? 0, error);
    }

    private static void PrintTable(JsonArray results)
    {
        var table = new Table().AddColumns("arch", "size", "precision", "device", "threads", "median ms", "fps", "PyTorch eager ms", "vs fp32 (mean / max levels, ≤1 level)");
        foreach (var r in results)
        {
            var median = r!["median_ms"]!.GetValue<double>();
            var dev = r["deviation"] is { } d ? $"{d["mean_levels"]} / {d["max_levels"]}, {d["share_within_1_level"]!.GetValue<double>():P2}" : "-";
            table.AddRow(r["arch"]!.ToString(), r["size"]!.ToString(), r["precision"]!.ToString(), r["device"]!.ToString(), r["threads"]!.ToString(),
                $"{median:F1}", $"{1000 / median:F1}", r["pytorch_median_ms"] is { } py ? $"{py.GetValue<double>():F1}" : r["pytorch_error"] != null ? "fails" : "-", dev);
        }
        AnsiConsole.Write(table);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

}
