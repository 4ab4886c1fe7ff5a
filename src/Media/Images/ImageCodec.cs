using LiveStyle.Files;
using LiveStyle.Media.Pixels;
using OpenCvSharp;

namespace LiveStyle.Media.Images;

/// <summary>Reads and writes JPEG, PNG, BMP and WebP through OpenCV (OpenCvSharp4); the file I/O itself happens here.</summary>
public static unsafe class ImageCodec
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    public static bool IsImagePath(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>An image file is at most this (LIVESTYLE_MAX_IMAGE_BYTES): a 100-megapixel PNG that does not compress at all is 300 MB.</summary>
    public static long MaxFileBytes => EnvironmentLimit.Read("LIVESTYLE_MAX_IMAGE_BYTES", 320L << 20);

    /// <param name="checkSize">Sees the size the header declares before the pixels are decoded (the caller's memory check).</param>
    public static Image Read(string path, Action<int, int>? checkSize = null)
    {
        byte[] bytes;
        try { bytes = InputFile.ReadAll(path, MaxFileBytes, "an image"); }
        catch (InputFileException e) { throw new ImageException(e.Message, e); }
        return Decode(bytes, path, checkSize);
    }

    public static Image Decode(byte[] bytes, string name, Action<int, int>? checkSize = null)
    {
        // OpenCvSharp answers an empty buffer with an ArgumentException of its own (found by fuzzing live's uploads).
        if (bytes.Length == 0) throw new ImageException($"{name} is empty: not an image");
        if (ImageHeader.DeclaredSize(bytes) is var (w, h))
        {
            if (w == 0 || h == 0) throw new ImageException($"{name} is corrupt (its header declares no pixels)");
            PixelLimit.Check(w, h, name);
            checkSize?.Invoke((int)w, (int)h);
        }
        // OpenCV turns a cut-off JPEG into grey stripes without a word; the container's own end marks tell.
        if (ImageHeader.Truncation(bytes) is { } why) throw new ImageException($"{name} is truncated or corrupt ({why})");
        var decoded = DecoderChatter.Capture(() =>
        {
            try { return Cv2.ImDecode(bytes, ImreadModes.Unchanged); }
            catch (OpenCVException) { return new Mat(); }
        }, out var chatter);
        using var _ = decoded;
        if (decoded.Empty()) throw new ImageException($"{name} is not a readable image (corrupt, truncated or an unknown format)");
        if (CorruptionWarning(chatter) is { } warning) throw new ImageException($"{name} is corrupt ({warning})");
        using var converted = decoded.Depth() == MatType.CV_8U ? null : ToEightBit(decoded);
        var eight = converted ?? decoded;
        var image = new Image(eight.Cols, eight.Rows, eight.Channels());
        var row = eight.Cols * eight.Channels();
        for (var y = 0; y < image.Height; y++) new ReadOnlySpan<byte>((void*)eight.Ptr(y), row).CopyTo(image.Pixels.AsSpan(y * row, row));
        SwapRedBlue(image);
        return image;
    }

    /// <summary>libjpeg's warnings that it met damaged data and went on (the picture has grey or smeared blocks); other decoder chatter is harmless.</summary>
    private static string? CorruptionWarning(string chatter) =>
        chatter.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Corrupt JPEG data", StringComparison.Ordinal) || l.StartsWith("Premature end of JPEG", StringComparison.Ordinal)) is { } line
            ? line[..Math.Min(line.Length, 160)]
            : null;

    /// <summary>16-bit and float images (PNG, TIFF, EXR) scaled to 8 bits per channel.</summary>
    private static Mat ToEightBit(Mat m)
    {
        var scale = m.Depth() == MatType.CV_16U ? 1.0 / 257.0 : m.Depth() == MatType.CV_32F ? 255.0 : 1.0;
        var eight = new Mat();
        m.ConvertTo(eight, MatType.CV_8U, scale);
        return eight;
    }

    /// <summary>Encodes by the path's extension and writes atomically: the final name appears only when complete.</summary>
    public static void Write(string path, Image image, int quality = 95, bool overwrite = true)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(ext)) throw new ImageException($"{path}: unknown image format '{ext}' (use {string.Join(", ", Extensions)})");
        var encoded = Encode(image, ext, quality);
        try { AtomicFile.WriteAllBytes(path, encoded, overwrite); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ImageException($"cannot write {path}: {e.Message}", e); }
    }

    public static byte[] Encode(Image image, string ext, int quality = 95)
    {
        var bgr = (byte[])image.Pixels.Clone();
        SwapRedBlue(new Image(image.Width, image.Height, image.Channels, bgr));
        return EncodeNative(bgr, image.Width, image.Height, image.Channels, ext, quality);
    }

    /// <summary>Encodes packed BGR24 pixels (OpenCV's own order, so no copy is made).</summary>
    public static byte[] EncodeBgr(ReadOnlySpan<byte> bgr, int width, int height, string ext, int quality = 90) =>
        EncodeNative(bgr, width, height, 3, ext, quality);

    private static byte[] EncodeNative(ReadOnlySpan<byte> pixels, int width, int height, int channels, string ext, int quality)
    {
        fixed (byte* p = pixels)
        {
            using var mat = Mat.FromPixelData(height, width, MatType.CV_8UC(channels), (IntPtr)p);
            try
            {
                // Only the format's own key: OpenCV warns on stderr about keys its encoder does not take.
                int[] settings = ext switch
                {
                    ".jpg" or ".jpeg" => [(int)ImwriteFlags.JpegQuality, quality],
                    ".webp" => [(int)ImwriteFlags.WebPQuality, quality],
                    _ => [],
                };
                if (Cv2.ImEncode(ext, mat, out var encoded, settings))
                    return encoded;
            }
            catch (OpenCVException e) { throw new ImageException($"cannot encode {ext}: {e.Message}", e); }
        }
        throw new ImageException($"cannot encode {ext}: OpenCV has no encoder for it");
    }

    /// <summary>An RGB image from packed BGR24 pixels (the order frames travel in).</summary>
    public static Image FromBgr(byte[] bgr, int width, int height)
    {
        var image = new Image(width, height, 3, (byte[])bgr.Clone());
        SwapRedBlue(image);
        return image;
    }

    /// <summary>Packed BGR24 pixels (the order frames travel in) from an image: gray replicated, alpha left out.</summary>
    public static byte[] ToBgr(Image image)
    {
        var bgr = new byte[image.Width * image.Height * 3];
        var to = Pixel3.Of<Bgr24>(bgr.AsSpan());
        if (image.Channels == 3)
        {
            Pixel3.Convert<Rgb24, Bgr24>(image.Rgb, to);
            return bgr;
        }
        var (px, c) = (image.Pixels, image.Channels);
        for (var i = 0; i < to.Length; i++)
            to[i] = c == 1 ? new Bgr24(px[i], px[i], px[i]) : Bgr24.FromRgb(px[i * c], px[i * c + 1], px[i * c + 2]);
        return bgr;
    }

    /// <summary>OpenCV orders colour as BGR(A), images (<see cref="Image"/>) as RGB(A); frames and sinks travel as BGR24.</summary>
    private static void SwapRedBlue(Image image)
    {
        if (image.Channels == 3)
        {
            Pixel3.Convert<Bgr24, Rgb24>(Pixel3.Of<Bgr24>(image.Pixels.AsSpan()), image.Rgb);
            return;
        }
        if (image.Channels < 3) return;
        var px = image.Pixels.AsSpan();
        for (var i = 0; i < px.Length; i += image.Channels) (px[i], px[i + 2]) = (px[i + 2], px[i]);
    }
}
