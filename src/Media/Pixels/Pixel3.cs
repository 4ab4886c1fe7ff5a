using System.Runtime.InteropServices;

namespace LiveStyle.Media.Pixels;

/// <summary>
/// A packed 8-bit, 3-channel pixel whose channel order is its type: OpenCV, the frames and the sinks use
/// <see cref="Bgr24"/>, images and the networks' planes <see cref="Rgb24"/>. Generic code reads
/// <see cref="BlueFirst"/>, a constant for each type, so the order is settled when it is compiled.
/// </summary>
public interface IPixel3<TSelf> where TSelf : unmanaged, IPixel3<TSelf>
{
    /// <summary>Whether blue is the first byte (BGR) rather than the last (RGB).</summary>
    static abstract bool BlueFirst { get; }

    byte R { get; }
    byte G { get; }
    byte B { get; }

    static abstract TSelf FromRgb(byte r, byte g, byte b);
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct Bgr24(byte B, byte G, byte R) : IPixel3<Bgr24>
{
    public static bool BlueFirst => true;
    public static Bgr24 FromRgb(byte r, byte g, byte b) => new(b, g, r);
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct Rgb24(byte R, byte G, byte B) : IPixel3<Rgb24>
{
    public static bool BlueFirst => false;
    public static Rgb24 FromRgb(byte r, byte g, byte b) => new(r, g, b);
}

/// <summary>Typed views of packed bytes and conversions between the two orders.</summary>
public static class Pixel3
{
    public static Span<TPixel> Of<TPixel>(Span<byte> packed) where TPixel : unmanaged, IPixel3<TPixel> => MemoryMarshal.Cast<byte, TPixel>(Whole(packed));

    public static ReadOnlySpan<TPixel> Of<TPixel>(ReadOnlySpan<byte> packed) where TPixel : unmanaged, IPixel3<TPixel> => MemoryMarshal.Cast<byte, TPixel>(Whole(packed));

    public static Span<byte> Bytes<TPixel>(Span<TPixel> pixels) where TPixel : unmanaged, IPixel3<TPixel> => MemoryMarshal.AsBytes(pixels);

    public static ReadOnlySpan<byte> Bytes<TPixel>(ReadOnlySpan<TPixel> pixels) where TPixel : unmanaged, IPixel3<TPixel> => MemoryMarshal.AsBytes(pixels);

    /// <summary>The same colours in another channel order (<paramref name="from"/> and <paramref name="to"/> may be the same memory).</summary>
    public static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> from, Span<TTo> to)
        where TFrom : unmanaged, IPixel3<TFrom> where TTo : unmanaged, IPixel3<TTo>
    {
        if (from.Length != to.Length) throw new ArgumentException($"{from.Length} pixels cannot become {to.Length}");
        for (var i = 0; i < from.Length; i++)
        {
            var p = from[i];
            to[i] = TTo.FromRgb(p.R, p.G, p.B);
        }
    }

    private static ReadOnlySpan<byte> Whole(ReadOnlySpan<byte> packed) =>
        packed.Length % 3 == 0 ? packed : throw new ArgumentException($"{packed.Length} bytes are not whole 3-byte pixels");

    private static Span<byte> Whole(Span<byte> packed) =>
        packed.Length % 3 == 0 ? packed : throw new ArgumentException($"{packed.Length} bytes are not whole 3-byte pixels");
}
