using LiveStyle.Media.Pixels;

namespace LiveStyle.Tests.Support;

/// <summary>
/// The acceptance measure: after both outputs are quantised to 8 bits as a saved image would be,
/// the share of channel values that differ by more than one level. Rounding and PSNR are production's own.
/// </summary>
public static class PixelComparison
{
    public static (double ShareWithinOneLevel, int MaxLevels) Compare(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        int within = 0, max = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs(Quantise(actual[i]) - Quantise(expected[i]));
            if (d <= 1) within++;
            max = Math.Max(max, d);
        }
        return ((double)within / actual.Length, max);
    }

    public static void AssertMatches(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double share = 0.999)
    {
        var (within, max) = Compare(actual, expected);
        Assert.True(within >= share, $"only {within:P3} of values within 1 level (max difference {max} levels)");
    }

    /// <summary>PSNR in dB of the two outputs rounded to 8 bits as LiveStyle rounds them (<see cref="Psnr.Max"/> when identical).</summary>
    public static double Psnr(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        return Media.Pixels.Psnr.Of(Quantised(actual), Quantised(expected));
    }

    private static byte[] Quantised(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length];
        for (var i = 0; i < values.Length; i++) bytes[i] = Quantise(values[i]);
        return bytes;
    }

    private static byte Quantise(float v) => StrengthBlend.ToByte(v);

    /// <summary>Mean absolute difference in levels between two 8-bit pixel buffers of the same layout.</summary>
    public static double MeanAbsoluteDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }
}
