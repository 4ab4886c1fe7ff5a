using System.Diagnostics;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Measure;

/// <summary>Medians in milliseconds: the style predictor alone, and a painting file becoming a style's first frame.</summary>
public sealed record PaintingTiming(double PredictMs, double ReadyMs, double FirstFrameMs);

/// <summary>
/// What `bench painting` times: the predictor on a painting already seen at its size, and the whole way a painting
/// dropped into live takes: read and check the file, predict, fold, make the engine's session, bind the frame size and
/// stylize one frame (as live shows a new style on the next frame).
/// </summary>
public static class PaintingTimings
{
    public static PaintingTiming Measure(PaintingStyles styles, string painting, PaintingOptions options, int width, int height, int warmup, int repeats)
    {
        var blend = new PaintingBlend([(painting, 1f)]);
        var seen = PaintingStyles.Seen(PaintingStyles.ReadPainting(painting), options.Size);
        var planar = new float[3 * options.Size * options.Size];
        ImageTensors.ToPlanar(seen, planar);
        var predict = Samples(warmup, repeats, () => styles.Networks.Predict(planar, options.Size, options.Size));

        var frame = new float[3 * width * height];
        var output = new float[frame.Length];
        var ready = new List<double>();
        var first = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var model = StyleModel.FromWeights(styles.Fold(blend, options), Device.Cpu, Precision.Fp32);
            using var binding = model.Engine.BindPlanar(width, height);
            var bound = Stopwatch.GetTimestamp();
            binding.Run(frame, output);
            if (i < warmup) continue;
            ready.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            first.Add(Stopwatch.GetElapsedTime(bound).TotalMilliseconds);
        }
        return new PaintingTiming(Percentiles.Median(predict), Percentiles.Median(ready), Percentiles.Median(first));
    }

    private static List<double> Samples(int warmup, int repeats, Action run)
    {
        var samples = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples;
    }
}
