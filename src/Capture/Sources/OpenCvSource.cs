using LiveStyle.Media;
using LiveStyle.Media.Images;
using OpenCvSharp;
using OpenCvSharp.Internal;

namespace LiveStyle.Capture.Sources;

/// <summary>A camera (V4L2), video file or network stream (FFmpeg) read through OpenCV's VideoCapture (OpenCvSharp4).</summary>
public sealed unsafe class OpenCvSource : IFrameSource
{
    private VideoCapture? _capture;
    private readonly Func<VideoCapture?> _open;
    // OpenCV-owned buffers reused for every frame. Reading, resizing and copying allocate nothing on the
    // managed heap once warm: the resize's native array views of the two Mats are made once and called
    // directly (OpenCvSharp's own wrappers are new objects on every call). Converting a grey or BGRA
    // source goes through those wrappers.
    private readonly Mat _frame = new(), _converted = new(), _resized = new();
    private CvArrayView? _resizeFrom, _resizeTo;

    private OpenCvSource(string name, bool live, Func<VideoCapture?> open)
    {
        Name = name;
        IsLive = live;
        _open = open;
        try
        {
            _capture = open() ?? throw new SourceException(OpenFailure(name, live));
            Width = _capture.FrameWidth;
            Height = _capture.FrameHeight;
            var fps = _capture.Fps;
            FrameRate = fps is > 0 and < 1000 ? fps : 30;
            if (Width <= 0 || Height <= 0) throw new SourceException($"{name} has no video (no frame size)");
            try { PixelLimit.Check(Width, Height, $"{name}'s frame"); }
            catch (ImageException e) { throw new SourceException(e.Message); }
        }
        catch
        {
            Dispose(); // the capture and the three Mats are released now, not at some later finalization
            throw;
        }
    }

    /// <summary>/dev/video{index}; mode 0 leaves the device's default. MJPG is asked for above 640x480, where raw YUYV rarely reaches 30 fps over USB 2.</summary>
    public static OpenCvSource Camera(int index, int width, int height, double fps)
    {
        var device = $"/dev/video{index}";
        if (!System.IO.File.Exists(device)) throw new SourceException($"camera {index} ({device}) does not exist; 'livestyle devices' lists the cameras");
        var fourcc = width * height > 640 * 480 ? "MJPG" : "YUYV";
        return new OpenCvSource($"camera {index}", live: true, () => Opened(new VideoCapture(index, VideoCaptureAPIs.V4L2), c =>
        {
            c.FourCC = fourcc;
            if (width > 0) c.FrameWidth = width;
            if (height > 0) c.FrameHeight = height;
            if (fps > 0) c.Fps = fps;
            c.Set(VideoCaptureProperties.BufferSize, 1); // the newest frame, not a queue of old ones
        }));
    }

    public static OpenCvSource File(string pathOrUrl)
    {
        if (!pathOrUrl.Contains("://") && !System.IO.File.Exists(pathOrUrl)) throw new SourceException($"{pathOrUrl} does not exist");
        var live = pathOrUrl.Contains("://");
        return new OpenCvSource(pathOrUrl, live, () => Opened(new VideoCapture(pathOrUrl, VideoCaptureAPIs.FFMPEG), _ => { }));
    }

    /// <summary>The capture when it opened (then configured), else null with its native handle released.</summary>
    private static VideoCapture? Opened(VideoCapture capture, Action<VideoCapture> configure)
    {
        try
        {
            if (!capture.IsOpened())
            {
                capture.Dispose();
                return null;
            }
            configure(capture);
            return capture;
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    public string Name { get; }
    public int Width { get; }
    public int Height { get; }
    public double FrameRate { get; }
    public bool IsLive { get; }

    public ReadResult Read(Span<byte> bgr, int width, int height)
    {
        if (_capture == null && !Reopen()) return ReadResult.Lost;
        if (!_capture!.Read(_frame) || _frame.Empty())
        {
            if (!IsLive) return ReadResult.End;
            Close();
            return ReadResult.Lost;
        }
        var frame = AsBgr();
        if (frame.Cols != width || frame.Rows != height)
        {
            Resize(frame, width, height);
            frame = _resized;
        }
        var bytes = width * height * 3;
        if (!frame.IsContinuous() || bgr.Length != bytes) throw new SourceException($"{Name}: frame buffer of {bgr.Length} bytes for {width}x{height}");
        new ReadOnlySpan<byte>((void*)frame.Data, bytes).CopyTo(bgr);
        return ReadResult.Frame;
    }

    private void Resize(Mat frame, int width, int height)
    {
        if (_resizeFrom == null || frame != _frame)
        {
            FreeResizeViews();
            _resizeFrom = CvArrayView.Input(frame);
            _resizeTo = CvArrayView.Output(_resized);
        }
        var interpolation = width < frame.Cols ? InterpolationFlags.Area : InterpolationFlags.Linear;
        if (NativeMethods.imgproc_resize(_resizeFrom.Pointer, _resizeTo!.Pointer, new Size(width, height), 0, 0, (int)interpolation) != ExceptionStatus.NotOccurred)
            throw new SourceException($"{Name}: OpenCV could not resize the frame");
    }

    private void FreeResizeViews()
    {
        _resizeFrom?.Dispose();
        _resizeTo?.Dispose();
        _resizeFrom = _resizeTo = null;
    }

    private Mat AsBgr()
    {
        if (_frame.Type() == MatType.CV_8UC3) return _frame;
        if (_frame.Channels() == 1) Cv2.CvtColor(_frame, _converted, ColorConversionCodes.GRAY2BGR);
        else if (_frame.Channels() == 4) Cv2.CvtColor(_frame, _converted, ColorConversionCodes.BGRA2BGR);
        else _frame.ConvertTo(_converted, MatType.CV_8UC3);
        return _converted;
    }

    /// <summary>Tries to open the device again (after an unplug); the pipeline keeps calling Read until it succeeds.</summary>
    private bool Reopen()
    {
        _capture = _open();
        return _capture != null;
    }

    public bool Rewind()
    {
        Close();
        return Reopen();
    }

    private void Close()
    {
        _capture?.Dispose();
        _capture = null;
    }

    private static string OpenFailure(string name, bool live) => (live, name.Contains("://")) switch
    {
        (_, true) => $"cannot open {name}: the stream did not answer, or is not a video OpenCV/FFmpeg can read (check the URL and that the server is running)",
        (true, _) => $"cannot open {name}: it may be busy (another program using it?), unplugged, or not a camera",
        _ => $"cannot open {name}: not a video OpenCV/FFmpeg can read",
    };

    public void Dispose()
    {
        Close();
        FreeResizeViews();
        _frame.Dispose();
        _converted.Dispose();
        _resized.Dispose();
    }
}

public sealed class SourceException(string message) : Exception(message);
