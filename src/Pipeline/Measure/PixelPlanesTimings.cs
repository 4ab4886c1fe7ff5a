using System.Diagnostics;
using LiveStyle.Media.Pixels;

namespace LiveStyle.Pipeline.Measure;

/// <summary>`bench pixels`: the per-frame conversions of the CPU path, vectorised and scalar, on the same frame (medians, ms).</summary>
public static class PixelPlanesTimings
{
    public sealed record Result(double ToPlanarMs, double ScalarToPlanarMs, double ToPackedMs, double ScalarToPackedMs);

    public static Result Measure(int width, int height, float strength, int warmup, int repeats)
    {
        var packed = new byte[3 * width * height];
        new Random(1).NextBytes(packed);
        var (planar, styled) = (new float[packed.Length], new float[packed.Length]);
        for (var i = 0; i < styled.Length; i++) styled[i] = (packed[i] * 7 % 300) - 20.5f;
        double Time(Action step)
        {
            for (var i = 0; i < warmup; i++) step();
            var samples = new double[repeats];
            for (var i = 0; i < repeats; i++)
            {
                var start = Stopwatch.GetTimestamp();
                step();
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            return Percentiles.Median(samples);
        }
        return new Result(
            Time(() => PixelPlanes.ToPlanar(packed, planar, swap: true)),
            Time(() => PixelPlanes.Scalar.ToPlanar(packed, planar, swap: true)),
            Time(() => PixelPlanes.ToPacked(styled, planar, strength, packed, swap: true)),
            Time(() => PixelPlanes.Scalar.ToPacked(styled, planar, strength, packed, swap: true)));
    }
}
