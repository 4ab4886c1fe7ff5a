namespace LiveStyle.Media.Pixels;

/// <summary>Peak signal-to-noise ratio of two 8-bit images of the same layout, in dB; identical images get <see cref="Max"/>.</summary>
public static class Psnr
{
    public const double Max = 100;

    public static double Of(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"images of {a.Length} and {b.Length} bytes cannot be compared");
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        var mse = sum / a.Length;
        return mse == 0 ? Max : Math.Min(Max, 10 * Math.Log10(255.0 * 255.0 / mse));
    }
}
