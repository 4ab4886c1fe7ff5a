using LiveStyle.Models.Formats;

namespace LiveStyle.Capture.Images;

/// <summary>Reads and writes JPEG, PNG, BMP and WebP through OpenCV; the file I/O itself happens here.</summary>
public static unsafe class ImageCodec
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    public static bool IsImagePath(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static Image Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new ImageException($"{path} does not exist"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ImageException($"cannot read {path}: {e.Message}", e); }
        if (bytes.Length == 0) throw new ImageException($"{path} is empty");
        return Decode(bytes, path);
    }

    public static Image Decode(ReadOnlySpan<byte> bytes, string name)
    {
        if (ImageHeader.DeclaredSize(bytes) is var (w, h)) PixelLimit.Check(w, h, name);
        IntPtr mat;
        fixed (byte* p = bytes) mat = VisionNative.lsv_decode(p, bytes.Length);
        if (mat == IntPtr.Zero) throw new ImageException($"{name} is not a readable image (corrupt, truncated or an unknown format)");
        try
        {
            var image = new Image(VisionNative.lsv_mat_width(mat), VisionNative.lsv_mat_height(mat), VisionNative.lsv_mat_channels(mat));
            fixed (byte* dst = image.Pixels)
                if (VisionNative.lsv_mat_copy_to(mat, dst, image.Pixels.Length) != 0) throw new ImageException($"{name}: {VisionNative.LastError()}");
            SwapRedBlue(image);
            return image;
        }
        finally
        {
            VisionNative.lsv_mat_free(mat);
        }
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
    public static byte[] EncodeBgr(byte[] bgr, int width, int height, string ext, int quality = 90) =>
        EncodeNative(bgr, width, height, 3, ext, quality);

    private static byte[] EncodeNative(byte[] pixels, int width, int height, int channels, string ext, int quality)
    {
        IntPtr buffer;
        fixed (byte* p = pixels) buffer = VisionNative.lsv_encode(ext, p, width, height, channels, quality);
        if (buffer == IntPtr.Zero) throw new ImageException($"cannot encode {ext}: {VisionNative.LastError()}");
        try { return new ReadOnlySpan<byte>(VisionNative.lsv_buffer_data(buffer), (int)VisionNative.lsv_buffer_size(buffer)).ToArray(); }
        finally { VisionNative.lsv_buffer_free(buffer); }
    }

    /// <summary>An RGB image from packed BGR24 pixels (the order frames travel in).</summary>
    public static Image FromBgr(byte[] bgr, int width, int height)
    {
        var image = new Image(width, height, 3, (byte[])bgr.Clone());
        SwapRedBlue(image);
        return image;
    }

    /// <summary>OpenCV orders colour as BGR(A); the rest of LiveStyle uses RGB(A).</summary>
    private static void SwapRedBlue(Image image)
    {
        if (image.Channels < 3) return;
        var px = image.Pixels.AsSpan();
        for (var i = 0; i < px.Length; i += image.Channels) (px[i], px[i + 2]) = (px[i + 2], px[i]);
    }
}
