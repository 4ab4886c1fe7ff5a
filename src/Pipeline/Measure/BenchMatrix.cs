using System.Text.Json.Nodes;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Measure;

/// <summary>What `bench` measures: each network (random weights of a layout, or one model's weights) at each size, precision and engine.</summary>
/// <param name="Source">The input, resized to each size; null: random pixels.</param>
/// <param name="Stabilize">With <paramref name="EndToEnd"/>, also whole frames with temporal stabilisation at this strength.</param>
public sealed record BenchPlan(
    IReadOnlyList<TransformNetConfig> Configs, Weights? Weights, Image? Source, IReadOnlyList<(string Text, int Width, int Height)> Sizes, IReadOnlyList<Precision> Precisions,
    IReadOnlyList<Engine> Engines, Device Device, MemoryFormat? Layout, int Warmup, int Repeats, int Batch, bool EndToEnd, float? Stabilize, bool PyTorch);

/// <summary>
/// ms/frame per network, size, precision and engine: warm-up runs, then the median of timed repeats; PyTorch eager on the
/// same network in the same run when asked; with real weights, every reduced precision's deviation from fp32 on the same input.
/// </summary>
public static class BenchMatrix
{
    /// <summary>One JSON row per measured combination; <paramref name="skipped"/> hears combinations an engine cannot run, <paramref name="measured"/> each row's median.</summary>
    public static JsonArray Run(BenchPlan plan, Action<string> skipped, Action<string>? measured = null)
    {
        var (w, r, frames, dev) = (plan.Warmup, plan.Repeats, plan.Batch, plan.Device);
        var results = new JsonArray();
        foreach (var config in plan.Configs)
        foreach (var (size, width, height) in plan.Sizes)
        {
            using var scope = Torch.NewDisposeScope();
            var one = plan.Source != null ? ImageTensors.ToTensor(plan.Source.Resize(width, height)) : Torch.Rand([1, 3, height, width]) * 255.0;
            var input = frames == 1 ? one : Torch.Cat(Enumerable.Repeat(one, frames).ToList(), 0);
            float[]? reference = null;
            // On a GPU, real weights are also compared with the CPU's fp32 output of the same input.
            var cpuReference = plan.Weights != null && dev.IsCuda ? FrameTimings.CpuReference(plan.Weights, input) : null;
            foreach (var p in plan.Precisions.OrderBy(p => p))
            {
                JsonObject? eager = null;
                foreach (var engine in plan.Engines.Distinct())
                {
                    try { engine.Resolve(dev, p); }
                    catch (ArgumentException e)
                    {
                        skipped($"{config.Name} {size} {p}: skipped {engine}: {e.Message}");
                        continue;
                    }
                    using var styleModel = Build(config, plan.Weights, dev, p, plan.Layout, engine);
                    var (batchSamples, output) = FrameTimings.WithOutput(styleModel, input, w, r);
                    var samples = batchSamples.Select(ms => ms / frames).ToArray();
                    var network = FrameTimings.Network(styleModel, input, w, r).Select(ms => ms / frames).ToArray();
                    var row = new JsonObject
                    {
                        ["arch"] = config.Name, ["model"] = plan.Weights?.Info.Style, ["size"] = size, ["precision"] = p.ToString().ToLowerInvariant(),
                        ["engine"] = styleModel.Engine.Kind.ToString().ToLowerInvariant(), ["device"] = dev.ToString(), ["layout"] = LayoutOf(styleModel).ToString(),
                        ["threads"] = InferenceThreads.Count, ["batch"] = frames, ["median_ms"] = Percentiles.Median(samples),
                        ["samples_ms"] = new JsonArray(samples.Select(s => (JsonNode)s).ToArray()),
                        ["network_ms"] = Percentiles.Median(network),
                    };
                    if (plan.EndToEnd && frames == 1)
                    {
                        row["end_to_end_ms"] = Percentiles.Median(FrameTimings.Frames(styleModel, width, height, w, r, null));
                        if (dev.IsCuda) row["stages_ms"] = StageMedians(FrameTimings.Stages(styleModel, width, height, w, r));
                        if (plan.Stabilize is { } strength)
                        {
                            var (plain, stabilized) = FrameTimings.StabilizedFrames(styleModel, width, height, w, r, strength);
                            (row["plain_end_to_end_ms"], row["stabilized_end_to_end_ms"]) = (Percentiles.Median(plain), Percentiles.Median(stabilized));
                            row["stabilize_overhead"] = Percentiles.Median(stabilized) / Percentiles.Median(plain) - 1;
                        }
                    }
                    if (p == Precision.Fp32 && reference == null) reference = output;
                    else if (reference != null) row["deviation"] = Json(FrameTimings.Deviation(output, reference));
                    if (cpuReference != null) row["deviation_vs_cpu"] = Json(FrameTimings.Deviation(output, cpuReference));
                    if (eager == null && plan.PyTorch && frames == 1 && (dev.IsCuda || p != Precision.Fp16) && TransformNetConfig.Presets.Any(preset => preset.Name == config.Name))
                        eager = PyTorchEager(config, size, row["precision"]!.ToString(), w, r, dev, LayoutOf(styleModel), plan.EndToEnd);
                    // PyTorch eager runs once per network, size and precision; every engine's row shows it.
                    foreach (var (key, value) in eager ?? []) row[key] = value?.DeepClone();
                    results.Add(row);
                    measured?.Invoke($"{config.Name} {size} {p} {styleModel.Engine.Kind.ToString().ToLowerInvariant()}: {Percentiles.Median(samples):F1} ms");
                }
            }
        }
        return results;
    }

    private static JsonObject PyTorchEager(TransformNetConfig config, string size, string precision, int warmup, int repeats, Device device, MemoryFormat layout, bool endToEnd)
    {
        var eager = new JsonObject();
        var (result, error) = PyTorchReference.Run("pytorch_eager.py", "--arch", config.Name, "--size", size, "--threads", InferenceThreads.Count.ToString(),
            "--precision", precision, "--warmup", warmup.ToString(), "--repeats", repeats.ToString(), "--device", device.ToString(),
            "--layout", layout == MemoryFormat.ChannelsLast ? "nhwc" : "nchw", endToEnd ? "--end-to-end" : "--no-end-to-end");
        if (result == null) eager["pytorch_error"] = error;
        else
        {
            eager["pytorch_median_ms"] = result["median_ms"]!.GetValue<double>();
            eager["pytorch_network_ms"] = result["network_ms"]!.GetValue<double>();
            if (result["end_to_end_ms"] is { } e2e) eager["pytorch_end_to_end_ms"] = e2e.GetValue<double>();
        }
        return eager;
    }

    private static StyleModel Build(TransformNetConfig config, Weights? weights, Device device, Precision precision, MemoryFormat? layout, Engine engine) =>
        weights != null
            ? StyleModel.FromWeights(weights, device, precision, layout, engine)
            : StyleModel.FromNetwork(new TransformNet(config), new ModelInfo(config, "random", "bench", new Dictionary<string, string>()), device, precision, layout, engine);

    private static JsonObject StageMedians(FrameStages stages) => new()
    {
        ["host_copies"] = stages.HostCopies, ["upload_and_convert"] = stages.UploadAndConvert,
        ["network"] = stages.Network, ["convert_and_download"] = stages.ConvertAndDownload,
    };

    private static JsonObject Json(LevelDeviation d) => new()
    {
        ["mean_levels"] = Math.Round(d.MeanLevels, 3), ["max_levels"] = d.MaxLevels, ["share_within_1_level"] = Math.Round(d.ShareWithinOneLevel, 5),
    };

    private static MemoryFormat LayoutOf(StyleModel model) => model.Engine is TorchEngine torch ? torch.Layout : MemoryFormat.Contiguous;
}
