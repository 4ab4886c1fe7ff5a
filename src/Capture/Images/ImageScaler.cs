namespace LiveStyle.Capture.Images;

/// <summary>Resizes packed 8-bit pixels between caller buffers (OpenCV: area when shrinking, linear when enlarging).</summary>
public static unsafe class ImageScaler
{
    public static void Resize(byte* src, int sw, int sh, byte* dst, int dw, int dh, int channels)
    {
        if (VisionNative.lsv_resize(src, sw, sh, dst, dw, dh, channels, dw < sw ? 3 : 1) != 0)
            throw new ImageException($"resize failed: {VisionNative.LastError()}");
    }
}
