using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Measure;
using LiveStyle.Tensors;
using LiveStyle.Train.Loop;

namespace LiveStyle.Cli.Commands;

/// <summary>
/// `bench train`: training steps per second (forward, loss, backward, Adam) on a fixed random batch
/// with random weights of the real shapes (torchvision VGG-16 widths), so data loading is left out on
/// both sides; with --pytorch, bench/pytorch_train.py runs the same step in PyTorch eager in the same invocation.
/// </summary>
public static class TrainBenchCommand
{
    public static Command Create()
    {
        var objective = new Option<string>("--objective") { Description = "train (VGG-16 perceptual losses) or distill (pixel loss against a random fst teacher)", DefaultValueFactory = _ => "train" };
        var arch = new Option<string>("--arch") { Description = "The network being trained (full, slim or mobile)", DefaultValueFactory = _ => "full" };
        var crop = new Option<int>("--crop") { Description = "Training crop size", DefaultValueFactory = _ => 256 }.Within(16, 4096);
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => 4 }.Within(1, 1024);
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => 2 }.Within(0, 10_000);
        var repeats = new Option<int>("--repeats") { Description = "Timed steps (the median is reported)", DefaultValueFactory = _ => 5 }.Within(1, 10_000);
        var pytorch = new Option<bool>("--pytorch") { Description = "Also time the same step in PyTorch eager (python3-torch)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a line" };
        var precision = new Option<string>("--precision") { Description = "fp32, or bf16 mixed precision (PyTorch: autocast)", DefaultValueFactory = _ => "fp32" };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var command = new Command("train", "Measure training iterations per second (optionally against PyTorch eager)")
        {
            objective, arch, crop, batch, warmup, repeats, pytorch, json, precision, threads, device,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyTorchThreads(parse.GetValue(threads));
            var kind = parse.GetValue(objective)!;
            if (kind is not ("train" or "distill")) throw new CliException($"--objective must be train or distill, not '{kind}'");
            var config = TransformNetConfig.Preset(parse.GetValue(arch)!);
            var (size, images, w, r) = (parse.GetValue(crop), parse.GetValue(batch), parse.GetValue(warmup), parse.GetValue(repeats));

            var mixed = TrainingStep.ParsePrecision(parse.GetValue(precision)!);
            var dev = CommonOptions.ParseDevice(parse.GetValue(device)!);
            Torch.EnsureAvailable(dev);
            var samples = TrainingStepTimings.Measure(kind, config, size, images, w, r, mixed, dev);
            var median = Percentiles.Median(samples);
            var row = new JsonObject
            {
                ["objective"] = kind, ["arch"] = config.Name, ["precision"] = mixed.ToString().ToLowerInvariant(), ["crop"] = size, ["batch"] = images, ["threads"] = Torch.Threads, ["device"] = dev.ToString(),
                ["median_ms"] = median, ["steps_per_s"] = 1000 / median,
                ["samples_ms"] = new JsonArray(samples.Select(s => (JsonNode)s).ToArray()),
            };
            if (parse.GetValue(pytorch))
            {
                var (result, error) = PyTorchReference.Run("pytorch_train.py", "--objective", kind, "--arch", config.Name, "--crop", size.ToString(),
                    "--batch", images.ToString(), "--precision", mixed.ToString().ToLowerInvariant(), "--threads", Torch.Threads.ToString(), "--warmup", w.ToString(), "--repeats", r.ToString(), "--device", dev.ToString());
                if (result != null)
                {
                    row["pytorch_median_ms"] = result["median_ms"]!.GetValue<double>();
                    row["pytorch_samples_ms"] = result["samples_ms"]!.DeepClone();
                }
                else row["pytorch_error"] = error;
            }

            if (parse.GetValue(json)) Console.WriteLine(row.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else
                Console.WriteLine($"{kind} {config.Name} {size}x{size} batch {images} {row["precision"]}, {Torch.Threads} threads: {median:F0} ms/step ({1000 / median:F2} it/s)"
                                  + (row["pytorch_median_ms"] is { } py ? $"; PyTorch eager {py.GetValue<double>():F0} ms/step" : ""));
            return 0;
        });
        return command;
    }
}
