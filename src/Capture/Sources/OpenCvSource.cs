using LiveStyle.Capture.Images;

namespace LiveStyle.Capture.Sources;

/// <summary>A camera (V4L2), video file or network stream (FFmpeg) read through OpenCV's VideoCapture.</summary>
public sealed unsafe class OpenCvSource : IFrameSource
{
    private const int PropWidth = 3, PropHeight = 4, PropFps = 5;
    private IntPtr _capture;
    private readonly Func<IntPtr> _open;

    private OpenCvSource(string name, bool live, Func<IntPtr> open)
    {
        Name = name;
        IsLive = live;
        _open = open;
        _capture = open();
        if (_capture == IntPtr.Zero) throw new SourceException(OpenFailure(name, live));
        Width = (int)VisionNative.lsv_capture_get(_capture, PropWidth);
        Height = (int)VisionNative.lsv_capture_get(_capture, PropHeight);
        var fps = VisionNative.lsv_capture_get(_capture, PropFps);
        FrameRate = fps is > 0 and < 1000 ? fps : 30;
        if (Width <= 0 || Height <= 0) throw new SourceException($"{name} has no video (no frame size)");
    }

    /// <summary>/dev/video{index}; mode 0 leaves the device's default. MJPG is asked for above 640x480, where raw YUYV rarely reaches 30 fps over USB 2.</summary>
    public static OpenCvSource Camera(int index, int width, int height, double fps)
    {
        var device = $"/dev/video{index}";
        if (!System.IO.File.Exists(device)) throw new SourceException($"camera {index} ({device}) does not exist; 'livestyle devices' lists the cameras");
        var fourcc = width * height > 640 * 480 ? "MJPG" : "YUYV";
        return new OpenCvSource($"camera {index}", live: true, () => VisionNative.lsv_capture_open_device(index, width, height, fps, fourcc));
    }

    public static OpenCvSource File(string pathOrUrl)
    {
        if (!pathOrUrl.Contains("://") && !System.IO.File.Exists(pathOrUrl)) throw new SourceException($"{pathOrUrl} does not exist");
        var live = pathOrUrl.Contains("://");
        return new OpenCvSource(pathOrUrl, live, () => VisionNative.lsv_capture_open_path(pathOrUrl));
    }

    public string Name { get; }
    public int Width { get; }
    public int Height { get; }
    public double FrameRate { get; }
    public bool IsLive { get; }

    public ReadResult Read(Span<byte> bgr, int width, int height)
    {
        if (_capture == IntPtr.Zero && !Reopen()) return ReadResult.Lost;
        if (VisionNative.lsv_capture_read(_capture, out _, out _) != 1)
        {
            if (!IsLive) return ReadResult.End;
            Close();
            return ReadResult.Lost;
        }
        fixed (byte* p = bgr)
            if (VisionNative.lsv_capture_copy(_capture, p, width, height) != 0) throw new SourceException($"{Name}: {VisionNative.LastError()}");
        return ReadResult.Frame;
    }

    /// <summary>Tries to open the device again (after an unplug); the pipeline keeps calling Read until it succeeds.</summary>
    private bool Reopen()
    {
        _capture = _open();
        return _capture != IntPtr.Zero;
    }

    public bool Rewind()
    {
        Close();
        return Reopen();
    }

    private void Close()
    {
        if (_capture != IntPtr.Zero) VisionNative.lsv_capture_release(_capture);
        _capture = IntPtr.Zero;
    }

    private static string OpenFailure(string name, bool live) => (live, name.Contains("://")) switch
    {
        (_, true) => $"cannot open {name}: the stream did not answer, or is not a video OpenCV/FFmpeg can read (check the URL and that the server is running)",
        (true, _) => $"cannot open {name}: it may be busy (another program using it?), unplugged, or not a camera",
        _ => $"cannot open {name}: not a video OpenCV/FFmpeg can read",
    };

    public void Dispose() => Close();
}

public sealed class SourceException(string message) : Exception(message);
