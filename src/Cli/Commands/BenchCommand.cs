using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using Spectre.Console;

namespace LiveStyle.Cli.Commands;

/// <summary>ms/frame per architecture and size: warm-up, then the median of timed repeats; optionally PyTorch eager in the same run.</summary>
public static class BenchCommand
{
    public const string PythonVariable = "LIVESTYLE_PYTHON";

    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "Comma-separated architectures", DefaultValueFactory = _ => string.Join(",", TransformNetConfig.Presets.Select(p => p.Name)) };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated WxH", DefaultValueFactory = _ => "256x256,640x480,1280x720" };
        var precisions = new Option<string>("--precision") { Description = "Comma-separated precisions (fp32, bf16, fp16)", DefaultValueFactory = _ => "fp32" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 10 };
        var pytorch = new Option<bool>("--pytorch") { Description = $"Also time PyTorch eager on the same network (python3-torch; ${PythonVariable} picks the interpreter)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("bench", "Measure stylization speed (ms/frame) with random weights")
        {
            arch, sizes, precisions, warmup, repeats, pytorch, json, device, threads,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var dev = CommonOptions.ParseDevice(parse.GetValue(device)!);
            var (w, r) = (parse.GetValue(warmup), parse.GetValue(repeats));
            if (w < 0 || r < 1) throw new CliException("--warmup must be >= 0 and --repeats >= 1");
            var results = new JsonArray();
            foreach (var a in Split(parse.GetValue(arch)!))
            foreach (var size in Split(parse.GetValue(sizes)!))
            foreach (var p in Split(parse.GetValue(precisions)!))
            {
                var config = TransformNetConfig.Preset(a);
                var (width, height) = ParseSize(size);
                var precision = Precisions.Parse(p);
                var samples = TimeLiveStyle(config, width, height, dev, precision, w, r);
                var row = new JsonObject
                {
                    ["arch"] = a, ["size"] = size, ["precision"] = p, ["device"] = dev.ToString(), ["threads"] = Torch.Threads,
                    ["median_ms"] = Median(samples), ["samples_ms"] = new JsonArray(samples.Select(s => (JsonNode)s).ToArray()),
                };
                if (parse.GetValue(pytorch) && !dev.IsCuda && precision != Precision.Fp16)
                    row["pytorch_median_ms"] = TimePyTorch(a, size, p, w, r);
                results.Add(row);
                if (!parse.GetValue(json)) Terminal.Notice($"{a} {size} {p}: {Median(samples):F1} ms");
            }
            if (parse.GetValue(json)) Console.WriteLine(results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else PrintTable(results);
            return 0;
        });
        return command;
    }

    private static double[] TimeLiveStyle(TransformNetConfig config, int width, int height, Device device, Precision precision, int warmup, int repeats)
    {
        precision.Validate(device);
        Torch.EnsureAvailable(device);
        using var net = new TransformNet(config);
        net.To(device, precision.ScalarType());
        using var noGrad = Torch.NoGrad();
        using var host = Torch.Rand([1, 3, height, width]);
        using var scaled = host * 255.0;
        using var input = scaled.To(device, precision.ScalarType());
        var samples = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (var output = net.Forward(input))
            using (var asFloat = output.To(Device.Cpu, ScalarType.Float32))
            {
                if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        return samples.ToArray();
    }

    private static double TimePyTorch(string arch, string size, string precision, int warmup, int repeats)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_eager.py");
        var python = Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } p ? p : "/usr/bin/python3";
        var info = new ProcessStartInfo(python)
        {
            ArgumentList = { script, "--arch", arch, "--size", size, "--threads", Torch.Threads.ToString(), "--precision", precision,
                "--warmup", warmup.ToString(), "--repeats", repeats.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new CliException($"cannot start {python}");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new CliException($"PyTorch comparison failed ({python}; install python3-torch): {stderr.Trim().Split('\n').LastOrDefault()}");
        return JsonNode.Parse(stdout)!["median_ms"]!.GetValue<double>();
    }

    private static void PrintTable(JsonArray results)
    {
        var table = new Table().AddColumns("arch", "size", "precision", "device", "threads", "median ms", "fps", "PyTorch eager ms");
        foreach (var r in results)
        {
            var median = r!["median_ms"]!.GetValue<double>();
            table.AddRow(r["arch"]!.ToString(), r["size"]!.ToString(), r["precision"]!.ToString(), r["device"]!.ToString(), r["threads"]!.ToString(),
                $"{median:F1}", $"{1000 / median:F1}", r["pytorch_median_ms"] is { } py ? $"{py.GetValue<double>():F1}" : "-");
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

    private static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w > 0 && h > 0) return (w, h);
        throw new CliException($"size '{text}' is not WxH (e.g. 640x480)");
    }
}
