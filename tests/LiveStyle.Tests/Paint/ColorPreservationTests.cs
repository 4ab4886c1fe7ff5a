using LiveStyle.Train.Paint;

namespace LiveStyle.Tests.Paint;

/// <summary>The colour transforms of Gatys et al.'s "Preserving Color", checked against their defining properties.</summary>
public sealed class ColorPreservationTests
{
    private static float[] Random(int plane, int seed, Func<Random, int, float[]> pixel)
    {
        var random = new Random(seed);
        var result = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            var rgb = pixel(random, i);
            for (var c = 0; c < 3; c++) result[c * plane + i] = rgb[c];
        }
        return result;
    }

    private static (double[] Mean, double[,] Cov) Moments(float[] x)
    {
        var plane = x.Length / 3;
        var mean = new double[3];
        for (var c = 0; c < 3; c++) mean[c] = Enumerable.Range(0, plane).Average(i => x[c * plane + i]);
        var cov = new double[3, 3];
        for (var r = 0; r < 3; r++)
        for (var c = 0; c < 3; c++)
            cov[r, c] = Enumerable.Range(0, plane).Average(i => (x[r * plane + i] - mean[r]) * (x[c * plane + i] - mean[c]));
        return (mean, cov);
    }

    /// <summary>
    /// A bluish painting recoloured to a reddish photo takes on the photo's mean and covariance. Both
    /// stay well inside 0..255, so the clamp does not act and the only error is float rounding and the
    /// 1e-3 ridge added to the covariances (relative error ~1e-3 / variance ≈ 1e-6).
    /// </summary>
    [Fact]
    public void HistogramMatchingTakesThePhotosMeanAndCovariance()
    {
        const int plane = 4096;
        var painting = Random(plane, 1, (r, _) => { var v = (float)r.NextDouble(); return [40 + 30 * v, 60 + 20 * (float)r.NextDouble(), 120 + 40 * v + 15 * (float)r.NextDouble()]; });
        var photo = Random(plane, 2, (r, _) => { var v = (float)r.NextDouble(); return [150 + 50 * v, 90 + 30 * v + 10 * (float)r.NextDouble(), 60 + 20 * (float)r.NextDouble()]; });
        var (mp, cp) = Moments(photo);
        var (mr, cr) = Moments(ColorPreservation.MatchHistogram(painting, photo));
        for (var c = 0; c < 3; c++) Assert.Equal(mp[c], mr[c], 0.05);
        for (var r = 0; r < 3; r++)
        for (var c = 0; c < 3; c++)
            Assert.True(Math.Abs(cp[r, c] - cr[r, c]) < 0.01 * Math.Max(1, Math.Abs(cp[r, c])), $"cov[{r},{c}]: photo {cp[r, c]:F3}, recoloured {cr[r, c]:F3}");
    }

    /// <summary>Putting the photo's chrominance under a gray painting gives the painting's luminance and the photo's I and Q.</summary>
    [Fact]
    public void LuminanceTransferKeepsThePhotosColoursAndThePaintingsLight()
    {
        const int plane = 256;
        var photo = Random(plane, 3, (r, _) => [60 + 100 * (float)r.NextDouble(), 60 + 100 * (float)r.NextDouble(), 60 + 100 * (float)r.NextDouble()]);
        var paintedGray = ColorPreservation.Luminance(Random(plane, 4, (r, _) => [50 + 150 * (float)r.NextDouble(), 50 + 150 * (float)r.NextDouble(), 50 + 150 * (float)r.NextDouble()]));
        var result = ColorPreservation.WithChrominanceOf(paintedGray, photo);
        var y = ColorPreservation.Luminance(result);
        for (var i = 0; i < plane; i++)
        {
            Assert.Equal(paintedGray[i], y[i], 0.6f);
            // Chrominance = colour minus luminance: the result's differs from the photo's by rounding of the YIQ matrices only.
            var photoY = ColorPreservation.Luminance(photo)[i];
            for (var c = 0; c < 3; c++) Assert.Equal(photo[c * plane + i] - photoY, result[c * plane + i] - y[i], 1.0f);
        }
    }

    [Fact]
    public void MatchedLuminanceHasTheTargetsMeanAndSpread()
    {
        const int plane = 1000;
        var gray = ColorPreservation.Luminance(Random(plane, 5, (r, _) => [(float)(40 * r.NextDouble()), 0, 0]));
        var target = ColorPreservation.Luminance(Random(plane, 6, (r, _) => [(float)(100 + 80 * r.NextDouble()), 150, 150]));
        var matched = ColorPreservation.MatchLuminance(gray, target);
        static (double, double) MeanStd(float[] x) { var m = x.Average(v => (double)v); return (m, Math.Sqrt(x.Average(v => (v - m) * (v - m)))); }
        var (m1, s1) = MeanStd(matched[..plane]);
        var (m2, s2) = MeanStd(target[..plane]);
        Assert.Equal(m2, m1, 0.01);
        Assert.Equal(s2, s1, 0.01);
    }
}
