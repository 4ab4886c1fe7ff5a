using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LiveStyle.Media.Pixels;

/// <summary>
/// Packed 3-channel 8-bit pixels to the network's three float planes and back, the per-frame conversions of the CPU
/// paths, both vectorised where SSSE3 is (x86-64; elsewhere the scalar loops run). Back to bytes (<see cref="Vector256"/>
/// arithmetic, SSSE3 shuffles to interleave; a scalar tail) computes exactly
/// <see cref="StrengthBlend.Mix(float, float, float)"/>: the same operations in the same order, rounded to nearest
/// even, so the bytes equal the scalar rule's (<see cref="Scalar"/>, which the tests compare against byte for byte).
/// The planes are always R, G, B; the packed pixels' type says their order (<see cref="Bgr24"/> frames, <see cref="Rgb24"/> images).
/// </summary>
public static class PixelPlanes
{
    /// <summary>
    /// Packed pixels to planes [3, pixels] in R, G, B order: 16 pixels at a time, each channel gathered from three
    /// 16-byte loads by byte shuffles (SSSE3) and widened to floats; a scalar tail, and the scalar loop where SSSE3 is missing.
    /// </summary>
    public static void ToPlanar<TPixel>(ReadOnlySpan<TPixel> packed, Span<float> planar) where TPixel : unmanaged, IPixel3<TPixel>
    {
        var pixels = Check(packed.Length, planar.Length);
        var swap = TPixel.BlueFirst;
        ref var src = ref MemoryMarshal.GetReference(Pixel3.Bytes(packed));
        ref var dst = ref MemoryMarshal.GetReference(planar);
        var i = 0;
        if (Ssse3.IsSupported)
            for (; i <= pixels - 16; i += 16)
            {
                ref var p = ref Unsafe.Add(ref src, 3 * i);
                var (a, b, c) = (Vector128.LoadUnsafe(ref p), Vector128.LoadUnsafe(ref p, 16), Vector128.LoadUnsafe(ref p, 32));
                for (var channel = 0; channel < 3; channel++)
                {
                    var gather = Gathers[swap ? 2 - channel : channel];
                    var bytes = Ssse3.Shuffle(a, gather.A) | Ssse3.Shuffle(b, gather.B) | Ssse3.Shuffle(c, gather.C);
                    StoreAsFloats(bytes, ref Unsafe.Add(ref dst, channel * pixels + i));
                }
            }
        for (; i < pixels; i++)
        {
            ref var p = ref Unsafe.Add(ref src, 3 * i);
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref p, swap ? 2 : 0);
            Unsafe.Add(ref dst, pixels + i) = Unsafe.Add(ref p, 1);
            Unsafe.Add(ref dst, 2 * pixels + i) = Unsafe.Add(ref p, swap ? 0 : 2);
        }
    }

    private static void StoreAsFloats(Vector128<byte> bytes, ref float to)
    {
        var (low, high) = Vector128.Widen(bytes);
        var (q0, q1) = Vector128.Widen(low);
        var (q2, q3) = Vector128.Widen(high);
        Vector128.ConvertToSingle(q0.AsInt32()).StoreUnsafe(ref to);
        Vector128.ConvertToSingle(q1.AsInt32()).StoreUnsafe(ref to, 4);
        Vector128.ConvertToSingle(q2.AsInt32()).StoreUnsafe(ref to, 8);
        Vector128.ConvertToSingle(q3.AsInt32()).StoreUnsafe(ref to, 12);
    }

    /// <summary>
    /// For byte offset k within a pixel, the shuffles that pick bytes k, k+3, …, k+45 of 48 packed bytes out of their
    /// three 16-byte thirds; an index with its top bit set makes a zero, so OR-ing the three gives the 16 values.
    /// </summary>
    private static readonly (Vector128<byte> A, Vector128<byte> B, Vector128<byte> C)[] Gathers = [Gather(0), Gather(1), Gather(2)];

    private static (Vector128<byte>, Vector128<byte>, Vector128<byte>) Gather(int offset)
    {
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16], c = stackalloc byte[16];
        for (var j = 0; j < 16; j++)
        {
            var at = 3 * j + offset;
            a[j] = at < 16 ? (byte)at : (byte)0x80;
            b[j] = at is >= 16 and < 32 ? (byte)(at - 16) : (byte)0x80;
            c[j] = at >= 32 ? (byte)(at - 32) : (byte)0x80;
        }
        return (Vector128.Create((ReadOnlySpan<byte>)a), Vector128.Create((ReadOnlySpan<byte>)b), Vector128.Create((ReadOnlySpan<byte>)c));
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
        var rule = new PackRule(strength, blend);
        var i = 0;
        if (Ssse3.IsSupported)
            for (; i <= pixels - 16; i += 16)
            {
                // The three channels' 16 bytes each, in the packed order, then interleaved by byte shuffles.
                var first = Channel16(ref s, ref o, (swap ? 2 : 0) * pixels + i, rule);
                var second = Channel16(ref s, ref o, pixels + i, rule);
                var third = Channel16(ref s, ref o, (swap ? 0 : 2) * pixels + i, rule);
                ref var to = ref Unsafe.Add(ref dst, 3 * i);
                for (var k = 0; k < 3; k++)
                {
                    var (fromFirst, fromSecond, fromThird) = Scatters[k];
                    (Ssse3.Shuffle(first, fromFirst) | Ssse3.Shuffle(second, fromSecond) | Ssse3.Shuffle(third, fromThird)).StoreUnsafe(ref to, (nuint)(16 * k));
                }
            }
        for (; i < pixels; i++)
            for (var c = 0; c < 3; c++)
                Unsafe.Add(ref dst, 3 * i + (swap ? 2 - c : c)) = blend
                    ? StrengthBlend.Mix(Unsafe.Add(ref s, c * pixels + i), Unsafe.Add(ref o, c * pixels + i), strength)
                    : StrengthBlend.ToByte(Unsafe.Add(ref s, c * pixels + i));
    }

    private readonly record struct PackRule(Vector256<float> Weight, Vector256<float> Rest, bool Blend)
    {
        public PackRule(float strength, bool blend) : this(Vector256.Create(strength), Vector256.Create(1 - strength), blend) { }
    }

    /// <summary>16 values of one plane from <paramref name="at"/>, as bytes: <see cref="StrengthBlend.Mix(float, float, float)"/>'s operations in its order.</summary>
    private static Vector128<byte> Channel16(ref float styled, ref float original, int at, PackRule rule)
    {
        var low = Rounded(ref styled, ref original, at, rule);
        var high = Rounded(ref styled, ref original, at + 8, rule);
        var shorts = Vector256.Narrow(low, high).AsUInt16(); // 0..255, so narrowing cannot wrap
        return Vector128.Narrow(shorts.GetLower(), shorts.GetUpper());
    }

    private static Vector256<int> Rounded(ref float styled, ref float original, int at, PackRule rule)
    {
        var (zero, top) = (Vector256<float>.Zero, Vector256.Create(255f));
        var value = Vector256.LoadUnsafe(ref styled, (nuint)at);
        var mixed = rule.Blend ? Vector256.Min(Vector256.Max(value, zero), top) * rule.Weight + Vector256.LoadUnsafe(ref original, (nuint)at) * rule.Rest : value;
        return Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(mixed), zero), top));
    }

    /// <summary>
    /// For each 16-byte third of 48 packed bytes (16 pixels), the shuffles that take its bytes from the first, second and
    /// third channel's 16 values; the inverse of <see cref="Gathers"/>.
    /// </summary>
    private static readonly (Vector128<byte>, Vector128<byte>, Vector128<byte>)[] Scatters = [Scatter(0), Scatter(1), Scatter(2)];

    private static (Vector128<byte>, Vector128<byte>, Vector128<byte>) Scatter(int third)
    {
        Span<byte> first = stackalloc byte[16], second = stackalloc byte[16], last = stackalloc byte[16];
        for (var j = 0; j < 16; j++)
        {
            var at = 16 * third + j; // byte j of this third is channel at % 3 of pixel at / 3
            var (pixel, channel) = (at / 3, at % 3);
            first[j] = channel == 0 ? (byte)pixel : (byte)0x80;
            second[j] = channel == 1 ? (byte)pixel : (byte)0x80;
            last[j] = channel == 2 ? (byte)pixel : (byte)0x80;
        }
        return (Vector128.Create((ReadOnlySpan<byte>)first), Vector128.Create((ReadOnlySpan<byte>)second), Vector128.Create((ReadOnlySpan<byte>)last));
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
