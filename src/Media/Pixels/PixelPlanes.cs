using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LiveStyle.Media.Pixels;

/// <summary>
/// Packed 3-channel 8-bit pixels to the network's three float planes and back, the per-frame conversions of the CPU
/// paths. Back to bytes is vectorised (<see cref="Vector256"/>; a scalar tail) and computes exactly
/// <see cref="StrengthBlend.Mix(float, float, float)"/>: the same operations in the same order, rounded to nearest
/// even, so the bytes equal the scalar rule's (<see cref="Scalar"/>, which the tests compare against byte for byte).
/// The planes are always R, G, B; the packed pixels' type says their order (<see cref="Bgr24"/> frames, <see cref="Rgb24"/> images).
/// </summary>
public static class PixelPlanes
{
    /// <summary>Packed pixels to planes [3, pixels] in R, G, B order.</summary>
    public static void ToPlanar<TPixel>(ReadOnlySpan<TPixel> packed, Span<float> planar) where TPixel : unmanaged, IPixel3<TPixel>
    {
        var pixels = Check(packed.Length, planar.Length);
        var swap = TPixel.BlueFirst;
        ref var src = ref MemoryMarshal.GetReference(Pixel3.Bytes(packed));
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
    /// into packed pixels.
    /// </summary>
    public static void ToPacked<TPixel>(ReadOnlySpan<float> styled, ReadOnlySpan<float> original, float strength, Span<TPixel> packed) where TPixel : unmanaged, IPixel3<TPixel>
    {
        if (original.Length != styled.Length) throw new ArgumentException($"{original.Length} original values for {styled.Length} styled ones");
        Pack(styled, original, strength, blend: true, Pixel3.Bytes(packed), TPixel.BlueFirst);
    }

    /// <summary>Planes [3, pixels] rounded and clamped to bytes (<see cref="StrengthBlend.ToByte"/>) into packed pixels.</summary>
    public static void ToPacked<TPixel>(ReadOnlySpan<float> planar, Span<TPixel> packed) where TPixel : unmanaged, IPixel3<TPixel> =>
        Pack(planar, planar, 1, blend: false, Pixel3.Bytes(packed), TPixel.BlueFirst);

    private static void Pack(ReadOnlySpan<float> styled, ReadOnlySpan<float> original, float strength, bool blend, Span<byte> packed, bool swap)
    {
        var pixels = Check(packed.Length / 3, styled.Length);
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

    private static int Check(int pixels, int planar)
    {
        if (planar != 3 * pixels)
            throw new ArgumentException($"{pixels} packed pixels and {planar} planar values are not the same 3-channel pixels");
        return pixels;
    }

    /// <summary>The same conversions one value at a time: the reference the vectorised ones must equal byte for byte.</summary>
    public static class Scalar
    {
        public static void ToPlanar<TPixel>(ReadOnlySpan<TPixel> packed, Span<float> planar) where TPixel : unmanaged, IPixel3<TPixel>
        {
            var pixels = Check(packed.Length, planar.Length);
            for (var i = 0; i < pixels; i++)
                (planar[i], planar[pixels + i], planar[2 * pixels + i]) = (packed[i].R, packed[i].G, packed[i].B);
        }

        public static void ToPacked<TPixel>(ReadOnlySpan<float> styled, ReadOnlySpan<float> original, float strength, Span<TPixel> packed) where TPixel : unmanaged, IPixel3<TPixel>
        {
            var pixels = Check(packed.Length, styled.Length);
            for (var i = 0; i < pixels; i++)
                packed[i] = TPixel.FromRgb(StrengthBlend.Mix(styled[i], original[i], strength),
                    StrengthBlend.Mix(styled[pixels + i], original[pixels + i], strength),
                    StrengthBlend.Mix(styled[2 * pixels + i], original[2 * pixels + i], strength));
        }

        public static void ToPacked<TPixel>(ReadOnlySpan<float> planar, Span<TPixel> packed) where TPixel : unmanaged, IPixel3<TPixel>
        {
            var pixels = Check(packed.Length, planar.Length);
            for (var i = 0; i < pixels; i++)
                packed[i] = TPixel.FromRgb(StrengthBlend.ToByte(planar[i]), StrengthBlend.ToByte(planar[pixels + i]), StrengthBlend.ToByte(planar[2 * pixels + i]));
        }
    }
}
