using System.Diagnostics;
using LiveStyle.Media.Pixels;

namespace LiveStyle.Pipeline.Measure;

/// <summary>`bench pixels`: the per-frame conversions of the CPU path and the sinks' packed blend, vectorised and scalar, on the same frame (medians, ms).</summary>
public static class PixelPlanesTimings
{
    public sealed record Result(double ToPlanarMs, double ScalarToPlanarMs, double ToPackedMs, double ScalarToPackedMs, double BlendMs, double ScalarBlendMs);

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
        var bgr = Pixel3.Of<Bgr24>(packed).ToArray();
        var (original, blended) = (new byte[packed.Length], new byte[packed.Length]);
        new Random(2).NextBytes(original);
        return new Result(
            Time(() => PixelPlanes.ToPlanar<Bgr24>(bgr, planar)),
            Time(() => PixelPlanes.Scalar.ToPlanar<Bgr24>(bgr, planar)),
            Time(() => PixelPlanes.ToPacked<Bgr24>(styled, planar, strength, bgr)),
            Time(() => PixelPlanes.Scalar.ToPacked<Bgr24>(styled, planar, strength, bgr)),
            Time(() => StrengthBlend.Mix(packed, original, strength, blended)),
            Time(() => StrengthBlend.Scalar.Mix(packed, original, strength, blended)));
    }
}
