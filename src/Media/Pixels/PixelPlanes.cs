using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LiveStyle.Media.Pixels;

/// <summary>
/// Packed 3-channel 8-bit pixels to the network's three float planes and back, the per-frame conversions of the CPU
/// paths. Back to bytes is vectorised (<see cref="Vector256"/>; a scalar tail) and computes exactly
/// <see cref="StrengthBlend.Mix(float, float, float)"/>: the same operations in the same order, rounded to nearest
/// even, so the bytes equal the scalar rule's (<see cref="Scalar"/>, which the tests compare against byte for byte).
/// <paramref name="swap"/> reverses the channel order on the way (BGR frames, RGB planes).
/// </summary>
public static class PixelPlanes
{
    /// <summary>Packed bytes (3 per pixel) to planes [3, pixels]; with <paramref name="swap"/> the packed order is BGR.</summary>
    public static void ToPlanar(ReadOnlySpan<byte> packed, Span<float> planar, bool swap)
    {
        var pixels = Check(packed.Length, planar.Length);
        ref var src = ref MemoryMarshal.GetReference(packed);
        ref var dst = ref MemoryMarshal.GetReference(planar);
        int first = swap ? 2 : 0, last = swap ? 0 : 2;
        for (var i = 0; i < pixels; i++)
        {
            ref var p = ref Unsafe.Add(ref src, 3 * i);
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref p, first);
            Unsafe.Add(ref dst, pixels + i) = Unsafe.Add(ref p, 1);
            Unsafe.Add(ref dst, 2 * pixels + i) = Unsafe.Add(ref p, last);
        }
    }

    /// <summary>
    /// clamp(styled, 0, 255)·strength + original·(1 − strength), rounded and clamped to bytes, from planes [3, pixels]
    /// into packed pixels; with <paramref name="swap"/> the packed order is BGR.
    /// </summary>
    public static void ToPacked(ReadOnlySpan<float> styled, ReadOnlySpan<float> original, float strength, Span<byte> packed, bool swap)
    {
        if (original.Length != styled.Length) throw new ArgumentException($"{original.Length} original values for {styled.Length} styled ones");
        Pack(styled, original, strength, blend: true, packed, swap);
    }

    /// <summary>Planes [3, pixels] rounded and clamped to bytes (<see cref="StrengthBlend.ToByte"/>) into packed pixels.</summary>
    public static void ToPacked(ReadOnlySpan<float> planar, Span<byte> packed, bool swap) => Pack(planar, planar, 1, blend: false, packed, swap);

    private static void Pack(ReadOnlySpan<float> styled, ReadOnlySpan<float> original, float strength, bool blend, Span<byte> packed, bool swap)
    {
        var pixels = Check(packed.Length, styled.Length);
        ref var s = ref MemoryMarshal.GetReference(styled);
        ref var o = ref MemoryMarshal.GetReference(original);
        ref var dst = ref MemoryMarshal.GetReference(packed);
        var (weight, rest) = (Vector256.Create(strength), Vector256.Create(1 - strength));
        var (zero, top) = (Vector256<float>.Zero, Vector256.Create(255f));
        Span<int> lanes = stackalloc int[Vector256<int>.Count];
        ref var lane = ref MemoryMarshal.GetReference(lanes);
        var i = 0;
        for (; i <= pixels - Vector256<float>.Count; i += Vector256<float>.Count)
            for (var c = 0; c < 3; c++)
            {
                var offset = (nuint)(c * pixels + i);
                var value = Vector256.LoadUnsafe(ref s, offset);
                var mixed = blend ? Vector256.Min(Vector256.Max(value, zero), top) * weight + Vector256.LoadUnsafe(ref o, offset) * rest : value;
                Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(mixed), zero), top)).StoreUnsafe(ref lane);
                var channel = swap ? 2 - c : c;
                for (var k = 0; k < Vector256<int>.Count; k++)
                    Unsafe.Add(ref dst, 3 * (i + k) + channel) = (byte)Unsafe.Add(ref lane, k);
            }
        for (; i < pixels; i++)
            for (var c = 0; c < 3; c++)
                Unsafe.Add(ref dst, 3 * i + (swap ? 2 - c : c)) = blend
                    ? StrengthBlend.Mix(Unsafe.Add(ref s, c * pixels + i), Unsafe.Add(ref o, c * pixels + i), strength)
                    : StrengthBlend.ToByte(Unsafe.Add(ref s, c * pixels + i));
    }

    private static int Check(int packed, int planar)
    {
        if (packed % 3 != 0 || planar != packed)
            throw new ArgumentException($"{packed} packed bytes and {planar} planar values are not the same 3-channel pixels");
        return packed / 3;
    }

    /// <summary>The same conversions one value at a time: the reference the vectorised ones must equal byte for byte.</summary>
    public static class Scalar
    {
        public static void ToPlanar(ReadOnlySpan<byte> packed, Span<float> planar, bool swap)
        {
            var pixels = Check(packed.Length, planar.Length);
            for (var i = 0; i < pixels; i++)
                for (var c = 0; c < 3; c++)
                    planar[c * pixels + i] = packed[3 * i + (swap ? 2 - c : c)];
        }

        public static void ToPacked(ReadOnlySpan<float> styled, ReadOnlySpan<float> original, float strength, Span<byte> packed, bool swap)
        {
            var pixels = Check(packed.Length, styled.Length);
            for (var i = 0; i < pixels; i++)
                for (var c = 0; c < 3; c++)
                    packed[3 * i + (swap ? 2 - c : c)] = StrengthBlend.Mix(styled[c * pixels + i], original[c * pixels + i], strength);
        }

        public static void ToPacked(ReadOnlySpan<float> planar, Span<byte> packed, bool swap)
        {
            var pixels = Check(packed.Length, planar.Length);
            for (var i = 0; i < pixels; i++)
                for (var c = 0; c < 3; c++)
                    packed[3 * i + (swap ? 2 - c : c)] = StrengthBlend.ToByte(planar[c * pixels + i]);
        }
    }
}
