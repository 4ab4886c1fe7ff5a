using System.Diagnostics;
using LiveStyle.Media.Pixels;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Measure;

/// <summary>How two outputs differ once saved as 8-bit pixels.</summary>
public readonly record struct LevelDeviation(double MeanLevels, int MaxLevels, double ShareWithinOneLevel);

/// <summary>
/// What `livestyle bench` times, as the journeys run it: the network alone, whole frames through the
/// transform (with and without stabilisation), the GPU path stage by stage; samples in milliseconds
/// after the warm-up, and the statistics reported over them.
/// </summary>
public static class FrameTimings
{
    public static float[] CpuReference(Weights weights, Tensor input)
    {
        using var cpu = StyleModel.FromWeights(weights, Device.Cpu, Precision.Fp32, engine: Engine.Torch);
        using var y = cpu.Stylize(input);
        return y.ToArray<float>();
    }

    /// <summary>
    /// The network alone: input already on the device in the model's dtype and layout, output left there; synchronized.
    /// On ONNX Runtime: planar frames through the bound session (the pinned buffers' copies included, a millisecond at 1080p).
    /// </summary>
    public static double[] Network(StyleModel model, Tensor input, int warmup, int repeats)
    {
        if (model.Engine is not TorchEngine torch) return Planar(model, input, warmup, repeats);
        using var scope = Torch.NewDisposeScope();
        var resident = input.To(model.Device, model.Precision.ScalarType()).Contiguous(torch.Layout);
        var samples = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (model.Stylize(resident))
                if (model.Device.IsCuda) Torch.Synchronize(model.Device);
            if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples.ToArray();
    }

    private static double[] Planar(StyleModel model, Tensor input, int warmup, int repeats)
    {
        var (height, width) = ((int)input.Size(2), (int)input.Size(3));
        var planar = input.ToArray<float>().AsSpan(0, 3 * width * height).ToArray();
        var styled = new float[planar.Length];
        using var network = model.Engine.BindPlanar(width, height);
        var samples = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            network.Run(planar, styled);
            if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples.ToArray();
    }

    /// <summary>Whole frames as live and convert process them: packed BGR bytes in host memory in and out.</summary>
    public static double[] Frames(StyleModel model, int width, int height, int warmup, int repeats, List<FrameStages>? stages)
    {
        var frame = new byte[width * height * 3];
        new Random(0).NextBytes(frame);
        using var stylizer = new BgrFrameStylizer(model, width, height) { TimeStages = stages != null };
        var samples = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            stylizer.Stylize(frame);
            if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (i >= warmup && stylizer.LastStages is { } s) stages!.Add(s);
        }
        return samples.ToArray();
    }

    /// <summary>
    /// Whole frames without and with stabilisation, alternating in one loop so drift hits both alike. The frame
    /// is random and does not move, so the blend runs on every pixel: the stabilizer's most expensive case.
    /// </summary>
    public static (double[] Plain, double[] Stabilized) StabilizedFrames(StyleModel model, int width, int height, int warmup, int repeats, float strength)
    {
        var original = new byte[width * height * 3];
        new Random(0).NextBytes(original);
        var frame = new byte[original.Length];
        using var stylizer = new BgrFrameStylizer(model, width, height);
        using var stabilizer = new TemporalStabilizer(width, height, strength);
        var (plain, stabilized) = (new List<double>(), new List<double>());
        for (var i = 0; i < warmup + repeats; i++)
        {
            original.CopyTo(frame, 0);
            var start = Stopwatch.GetTimestamp();
            stylizer.Stylize(frame);
            if (i >= warmup) plain.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            original.CopyTo(frame, 0);
            start = Stopwatch.GetTimestamp();
            stabilizer.Begin(frame);
            stylizer.Stylize(frame);
            stabilizer.End(frame);
            if (i >= warmup) stabilized.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return (plain.ToArray(), stabilized.ToArray());
    }

    /// <summary>The GPU frame path with a wait after each stage: the median of each stage, where the time outside the network goes.</summary>
    public static FrameStages Stages(StyleModel model, int width, int height, int warmup, int repeats)
    {
        var stages = new List<FrameStages>();
        Frames(model, width, height, warmup, repeats, stages);
        return new FrameStages(Percentiles.Median(stages.Select(s => s.HostCopies).ToList()), Percentiles.Median(stages.Select(s => s.UploadAndConvert).ToList()),
            Percentiles.Median(stages.Select(s => s.Network).ToList()), Percentiles.Median(stages.Select(s => s.ConvertAndDownload).ToList()));
    }

    /// <summary>Each sample covers the forward pass and the copy of the result back to host memory.</summary>
    public static (double[] Samples, float[] Output) WithOutput(StyleModel model, Tensor input, int warmup, int repeats)
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
    public static LevelDeviation Deviation(float[] output, float[] reference)
    {
        long sum = 0, within = 0;
        var max = 0;
        for (var i = 0; i < output.Length; i++)
        {
            var d = Math.Abs(StrengthBlend.ToByte(output[i]) - StrengthBlend.ToByte(reference[i]));
            sum += d;
            max = Math.Max(max, d);
            if (d <= 1) within++;
        }
        return new LevelDeviation((double)sum / output.Length, max, (double)within / output.Length);
    }
}
