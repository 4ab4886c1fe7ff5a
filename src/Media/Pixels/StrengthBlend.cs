using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LiveStyle.Media.Pixels;

/// <summary>
/// The one rule for turning the network's output into 8-bit pixels at a strength s:
/// clamp(stylized, 0, 255)·s + original·(1 − s), rounded to nearest (ties to even, as MathF.Round and
/// torch.round). The stylized value is clamped first so that a blend starts from the picture shown at
/// full strength, whether it is blended before rounding (convert) or after (live's window and sinks). The CPU transform,
/// still images, the sinks' copies and screenshots use it; the CUDA path computes the same in tensor ops and the window's
/// shader with GLSL's mix.
/// </summary>
public static class StrengthBlend
{
    public static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0f, 255f);

    public static byte Mix(float styled, float original, float strength) =>
        ToByte(Math.Clamp(styled, 0f, 255f) * strength + original * (1 - strength));

    /// <summary>
    /// Blends two packed 8-bit frames into <paramref name="into"/> (a copy at full strength), 32 bytes at a time
    /// through <see cref="Vector256"/>: the same float operations in the same order as <see cref="Mix(float, float, float)"/>,
    /// so the bytes equal <see cref="Scalar.Mix"/>'s.
    /// </summary>
    public static void Mix(ReadOnlySpan<byte> styled, ReadOnlySpan<byte> original, float strength, Span<byte> into)
    {
        if (styled.Length != into.Length || original.Length != into.Length)
            throw new ArgumentException($"frames of {styled.Length} and {original.Length} bytes cannot be blended into {into.Length}");
        if (strength >= 1)
        {
            styled.CopyTo(into);
            return;
        }
        ref var s = ref MemoryMarshal.GetReference(styled);
        ref var o = ref MemoryMarshal.GetReference(original);
        ref var d = ref MemoryMarshal.GetReference(into);
        var (weight, rest) = (Vector256.Create(strength), Vector256.Create(1 - strength));
        var i = 0;
        for (; i <= into.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            var (sLow, sHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
            var (oLow, oHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref o, (nuint)i));
            Vector256.Narrow(Mix(sLow, oLow, weight, rest), Mix(sHigh, oHigh, weight, rest)).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < into.Length; i++) into[i] = Mix(styled[i], original[i], strength);
    }

    // A styled byte needs no clamp to 0..255 (the scalar rule's clamp leaves it as it is), and a rounded blend of two
    // bytes lies in 0..255, so narrowing cannot wrap.
    private static Vector256<ushort> Mix(Vector256<ushort> styled, Vector256<ushort> original, Vector256<float> weight, Vector256<float> rest)
    {
        var (sLow, sHigh) = Vector256.Widen(styled);
        var (oLow, oHigh) = Vector256.Widen(original);
        return Vector256.Narrow(Mix(sLow, oLow, weight, rest), Mix(sHigh, oHigh, weight, rest));
    }

    private static Vector256<uint> Mix(Vector256<uint> styled, Vector256<uint> original, Vector256<float> weight, Vector256<float> rest) =>
        Vector256.ConvertToUInt32(Vector256.Round(Vector256.ConvertToSingle(styled) * weight + Vector256.ConvertToSingle(original) * rest));

    /// <summary>The packed blend one byte at a time: the reference the vectorised one must equal byte for byte.</summary>
    public static class Scalar
    {
        public static void Mix(ReadOnlySpan<byte> styled, ReadOnlySpan<byte> original, float strength, Span<byte> into)
        {
            if (strength >= 1)
            {
                styled.CopyTo(into);
                return;
            }
            for (var i = 0; i < into.Length; i++) into[i] = StrengthBlend.Mix(styled[i], original[i], strength);
        }
    }
}
