using LiveStyle.Media.Pixels;

namespace LiveStyle.Media.Images;

/// <summary>8-bit interleaved pixels in RGB order: 1 (gray), 3 (RGB) or 4 (RGBA) channels, rows packed.</summary>
public sealed class Image
{
    public Image(int width, int height, int channels, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size {width}x{height} is empty");
        if (channels is not (1 or 3 or 4)) throw new ArgumentException($"{channels} channels: expected 1, 3 or 4");
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels ?? new byte[(long)width * height * channels];
        if (Pixels.Length != (long)width * height * channels) throw new ArgumentException("pixel buffer does not match the image size");
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }

    public bool HasAlpha => Channels == 4;

    /// <summary>The pixels as <see cref="Rgb24"/>, for a 3-channel image.</summary>
    public Span<Rgb24> Rgb => Channels == 3 ? Pixel3.Of<Rgb24>(Pixels.AsSpan()) : throw new InvalidOperationException($"a {Channels}-channel image has no RGB24 view");

    /// <summary>Size that fits within <paramref name="maxSide"/> on the longer side, keeping the aspect ratio.</summary>
    public (int Width, int Height) FitWithin(int maxSide) => Fit(Width, Height, maxSide);

    /// <summary>The largest size with the same aspect ratio whose longer side is at most <paramref name="maxSide"/> (0: no limit).</summary>
    public static (int Width, int Height) Fit(int width, int height, int maxSide)
    {
        var longer = Math.Max(width, height);
        if (maxSide <= 0 || longer <= maxSide) return (width, height);
        var scale = (double)maxSide / longer;
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>
    /// Whether a <paramref name="width"/>x<paramref name="height"/> picture is one of <paramref name="fromWidth"/>x<paramref name="fromHeight"/>
    /// as it is or shrunk by <see cref="Fit"/> (--max-size), give or take the pixel an encoder rounds to an even size.
    /// </summary>
    public static bool IsFittedFrom(int width, int height, int fromWidth, int fromHeight)
    {
        var (w, h) = Fit(fromWidth, fromHeight, Math.Max(width, height));
        return Math.Abs(w - width) <= 1 && Math.Abs(h - height) <= 1;
    }

    /// <summary>A copy of the <paramref name="width"/>x<paramref name="height"/> rectangle at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public Image Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || x + width > Width || y + height > Height)
            throw new ArgumentException($"crop {width}x{height} at ({x}, {y}) is outside the {Width}x{Height} image");
        var result = new Image(width, height, Channels);
        var row = width * Channels;
        for (var r = 0; r < height; r++)
            Pixels.AsSpan(((y + r) * Width + x) * Channels, row).CopyTo(result.Pixels.AsSpan(r * row, row));
        return result;
    }

    /// <summary>A resized copy (area averaging when shrinking, bilinear when enlarging; or bilinear both ways).</summary>
    public unsafe Image Resize(int width, int height, bool bilinear = false)
    {
        if (width == Width && height == Height) return this;
        var result = new Image(width, height, Channels);
        fixed (byte* src = Pixels)
        fixed (byte* dst = result.Pixels)
            ImageScaler.Resize(src, Width, Height, dst, width, height, Channels, bilinear);
        return result;
    }
}

public sealed class ImageException(string message, Exception? inner = null) : Exception(message, inner);
