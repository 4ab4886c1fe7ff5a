using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LiveStyle.Media.Pixels;

/// <summary>
/// Peak signal-to-noise ratio of two 8-bit images of the same layout, in dB; identical images get <see cref="Max"/>.
/// The squared differences are summed as integers (exact in any order), 32 bytes at a time.
/// </summary>
public static class Psnr
{
    public const double Max = 100;

    public static double Of(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => FromSquaredError(SquaredError(a, b), a.Length);

    /// <summary>Σ (a − b)².</summary>
    public static long SquaredError(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        // Checked here, not only in Of: the loads below read b as far as a reaches.
        if (a.Length != b.Length) throw new ArgumentException($"images of {a.Length} and {b.Length} bytes cannot be compared");
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        long sum = 0;
        var i = 0;
        // Each int lane gains four squares of at most 255² per 32 bytes: a block of up to 1056 bytes adds less than 2³¹.
        while (i <= a.Length - Vector256<byte>.Count)
        {
            var lanes = Vector256<int>.Zero;
            for (var end = Math.Min(a.Length - Vector256<byte>.Count, i + 1024); i <= end; i += Vector256<byte>.Count)
            {
                var (aLow, aHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, (nuint)i));
                var (bLow, bHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, (nuint)i));
                lanes += Squares(aLow.AsInt16() - bLow.AsInt16()) + Squares(aHigh.AsInt16() - bHigh.AsInt16());
            }
            sum += Vector256.Sum(Vector256.WidenLower(lanes)) + Vector256.Sum(Vector256.WidenUpper(lanes));
        }
        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private static Vector256<int> Squares(Vector256<short> d)
    {
        var (low, high) = Vector256.Widen(d);
        return low * low + high * high;
    }

    private static double FromSquaredError(long squaredError, long values)
    {
        var mse = (double)squaredError / values;
        return mse == 0 ? Max : Math.Min(Max, 10 * Math.Log10(255.0 * 255.0 / mse));
    }
}
