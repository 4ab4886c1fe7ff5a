namespace LiveStyle.Train.Paint;

/// <summary>How paint keeps the photo's colours (Gatys, Bethge, Hertzmann and Shechtman 2016, "Preserving Color in Neural Artistic Style Transfer").</summary>
public enum ColorMode
{
    /// <summary>The painting's colours, as the plain method gives them.</summary>
    None,
    /// <summary>Transfer on luminance only, then put back the photo's chrominance (YIQ).</summary>
    Luminance,
    /// <summary>Recolour each painting first so its colour mean and covariance match the photo's.</summary>
    Histogram,
}

/// <summary>The colour transforms of <see cref="ColorMode"/>, on planar RGB 0..255 images (3 planes of H·W floats).</summary>
public static class ColorPreservation
{
    /// <summary>
    /// x ↦ L_c·L_s⁻¹·(x − μ_s) + μ_c, with Σ = L·Lᵀ the Cholesky factors of the two images' RGB
    /// covariances: the result has the target's colour mean and covariance (the paper's linear method).
    /// </summary>
    public static float[] MatchHistogram(float[] source, float[] target)
    {
        var (ms, cs) = Moments(source);
        var (mt, ct) = Moments(target);
        var ls = Cholesky(cs);
        var lt = Cholesky(ct);
        var a = Multiply(lt, InvertLower(ls));
        var plane = source.Length / 3;
        var result = new float[source.Length];
        for (var i = 0; i < plane; i++)
        for (var r = 0; r < 3; r++)
        {
            double v = mt[r];
            for (var c = 0; c < 3; c++) v += a[r, c] * (source[c * plane + i] - ms[c]);
            result[r * plane + i] = (float)Math.Clamp(v, 0, 255);
        }
        return result;
    }

    /// <summary>The luminance Y = 0.299R + 0.587G + 0.114B as a gray RGB image.</summary>
    public static float[] Luminance(float[] rgb)
    {
        var plane = rgb.Length / 3;
        var result = new float[rgb.Length];
        for (var i = 0; i < plane; i++)
            result[i] = result[plane + i] = result[2 * plane + i] = Y(rgb, plane, i);
        return result;
    }

    /// <summary>A gray image's levels shifted and scaled to the target's luminance mean and standard deviation.</summary>
    public static float[] MatchLuminance(float[] gray, float[] targetGray)
    {
        var plane = gray.Length / 3;
        var (m, s) = MeanStd(gray.AsSpan(0, plane));
        var (mt, st) = MeanStd(targetGray.AsSpan(0, targetGray.Length / 3));
        var scale = s > 1e-6 ? st / s : 1;
        var result = new float[gray.Length];
        for (var i = 0; i < gray.Length; i++) result[i] = (float)Math.Clamp((gray[i] - m) * scale + mt, 0, 255);
        return result;
    }

    /// <summary>The painted image's luminance with the photo's chrominance (I and Q of YIQ), back in RGB.</summary>
    public static float[] WithChrominanceOf(float[] painted, float[] photo)
    {
        var plane = painted.Length / 3;
        var result = new float[painted.Length];
        for (var p = 0; p < plane; p++)
        {
            double y = Y(painted, plane, p);
            double r = photo[p], g = photo[plane + p], b = photo[2 * plane + p];
            double i = 0.596 * r - 0.274 * g - 0.322 * b, q = 0.211 * r - 0.523 * g + 0.312 * b;
            result[p] = (float)Math.Clamp(y + 0.956 * i + 0.621 * q, 0, 255);
            result[plane + p] = (float)Math.Clamp(y - 0.272 * i - 0.647 * q, 0, 255);
            result[2 * plane + p] = (float)Math.Clamp(y - 1.106 * i + 1.703 * q, 0, 255);
        }
        return result;
    }

    /// <summary>ITU-R BT.601 luma (OpenCV's grey) of pixel <paramref name="i"/> of planar RGB.</summary>
    internal static float Y(ReadOnlySpan<float> rgb, int plane, int i) => 0.299f * rgb[i] + 0.587f * rgb[plane + i] + 0.114f * rgb[2 * plane + i];

    private static (double Mean, double Std) MeanStd(ReadOnlySpan<float> values)
    {
        double sum = 0, squares = 0;
        foreach (var v in values) (sum, squares) = (sum + v, squares + (double)v * v);
        var mean = sum / values.Length;
        return (mean, Math.Sqrt(Math.Max(0, squares / values.Length - mean * mean)));
    }

    private static (double[] Mean, double[,] Covariance) Moments(float[] rgb)
    {
        var plane = rgb.Length / 3;
        var mean = new double[3];
        for (var c = 0; c < 3; c++)
        {
            double s = 0;
            for (var i = 0; i < plane; i++) s += rgb[c * plane + i];
            mean[c] = s / plane;
        }
        var cov = new double[3, 3];
        for (var i = 0; i < plane; i++)
        for (var r = 0; r < 3; r++)
        for (var c = 0; c <= r; c++)
            cov[r, c] += (rgb[r * plane + i] - mean[r]) * (rgb[c * plane + i] - mean[c]);
        for (var r = 0; r < 3; r++)
        for (var c = 0; c <= r; c++)
        {
            cov[r, c] /= plane;
            cov[c, r] = cov[r, c];
        }
        // A flat or gray image has a singular covariance; a little ridge keeps the factor invertible.
        for (var d = 0; d < 3; d++) cov[d, d] += 1e-3;
        return (mean, cov);
    }

    private static double[,] Cholesky(double[,] a)
    {
        var l = new double[3, 3];
        for (var r = 0; r < 3; r++)
        for (var c = 0; c <= r; c++)
        {
            var s = a[r, c];
            for (var k = 0; k < c; k++) s -= l[r, k] * l[c, k];
            l[r, c] = r == c ? Math.Sqrt(Math.Max(s, 1e-12)) : s / l[c, c];
        }
        return l;
    }

    private static double[,] InvertLower(double[,] l)
    {
        var inv = new double[3, 3];
        for (var c = 0; c < 3; c++)
        for (var r = c; r < 3; r++)
        {
            var s = r == c ? 1.0 : 0.0;
            for (var k = c; k < r; k++) s -= l[r, k] * inv[k, c];
            inv[r, c] = s / l[r, r];
        }
        return inv;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[3, 3];
        for (var r = 0; r < 3; r++)
        for (var c = 0; c < 3; c++)
        for (var k = 0; k < 3; k++)
            m[r, c] += a[r, k] * b[k, c];
        return m;
    }
}
