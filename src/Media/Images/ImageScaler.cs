using OpenCvSharp;

namespace LiveStyle.Media.Images;

/// <summary>Resizes packed 8-bit pixels between caller buffers (OpenCV: area when shrinking, linear when enlarging, or always bilinear).</summary>
public static unsafe class ImageScaler
{
    public static void Resize(byte* src, int sw, int sh, byte* dst, int dw, int dh, int channels, bool bilinear = false)
    {
        // Mat headers over the caller's memory: OpenCV writes straight into the destination buffer.
        using var input = Mat.FromPixelData(sh, sw, MatType.CV_8UC(channels), (IntPtr)src);
        using var output = Mat.FromPixelData(dh, dw, MatType.CV_8UC(channels), (IntPtr)dst);
        try { Cv2.Resize(input, output, new Size(dw, dh), 0, 0, dw < sw && !bilinear ? InterpolationFlags.Area : InterpolationFlags.Linear); }
        catch (OpenCVException e) { throw new ImageException($"resize failed: {e.Message}", e); }
        if (output.Data != (IntPtr)dst) throw new ImageException("resize failed: OpenCV wrote to a buffer of its own");
    }
}
