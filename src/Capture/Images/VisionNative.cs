using System.Runtime.InteropServices;

namespace LiveStyle.Capture.Images;

/// <summary>P/Invoke declarations for native/vision/livestyle_vision.cpp (OpenCV codecs and resizing).</summary>
internal static unsafe class VisionNative
{
    private const string Lib = "livestyle_vision";

    static VisionNative() => Tensors.Native.NativeLibraries.Register(typeof(VisionNative).Assembly);

    [DllImport(Lib)] public static extern IntPtr lsv_last_error();
    [DllImport(Lib)] public static extern IntPtr lsv_decode(byte* data, long length);
    [DllImport(Lib)] public static extern void lsv_mat_free(IntPtr m);
    [DllImport(Lib)] public static extern int lsv_mat_width(IntPtr m);
    [DllImport(Lib)] public static extern int lsv_mat_height(IntPtr m);
    [DllImport(Lib)] public static extern int lsv_mat_channels(IntPtr m);
    [DllImport(Lib)] public static extern int lsv_mat_copy_to(IntPtr m, byte* dst, long nbytes);
    [DllImport(Lib)] public static extern IntPtr lsv_encode(string ext, byte* pixels, int width, int height, int channels, int quality);
    [DllImport(Lib)] public static extern long lsv_buffer_size(IntPtr b);
    [DllImport(Lib)] public static extern byte* lsv_buffer_data(IntPtr b);
    [DllImport(Lib)] public static extern void lsv_buffer_free(IntPtr b);
    [DllImport(Lib)] public static extern int lsv_resize(byte* src, int sw, int sh, byte* dst, int dw, int dh, int channels, int interpolation);

    [DllImport(Lib)] public static extern IntPtr lsv_capture_open_device(int index, int width, int height, double fps, string fourcc);
    [DllImport(Lib)] public static extern IntPtr lsv_capture_open_path(string path);
    [DllImport(Lib)] public static extern int lsv_capture_read(IntPtr capture, out int width, out int height);
    [DllImport(Lib)] public static extern int lsv_capture_copy(IntPtr capture, byte* dst, int width, int height);
    [DllImport(Lib)] public static extern double lsv_capture_get(IntPtr capture, int property);
    [DllImport(Lib)] public static extern void lsv_capture_release(IntPtr capture);

    public static string LastError() => Marshal.PtrToStringUTF8(lsv_last_error()) ?? "unknown OpenCV error";
}
