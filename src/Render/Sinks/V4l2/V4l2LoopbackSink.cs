using LiveStyle.Media.Devices;
using LiveStyle.Media.Images;

namespace LiveStyle.Render.Sinks.V4l2;

/// <summary>
/// A virtual camera through v4l2loopback, the mechanism OBS's own virtual camera uses on Linux:
/// Zoom, Meet, Teams and OBS's "Video Capture Device" see the stylized feed as a webcam. The device
/// must be an output device; the format is negotiated in order YUYV, I420, RGB24, and the frame
/// size is whatever the device settles on (frames are scaled to it).
/// </summary>
public sealed class V4l2LoopbackSink : IFrameSink
{
    private static readonly uint[] Preference = [PixelConversion.Yuyv, PixelConversion.I420, PixelConversion.Rgb24];
    private readonly IV4l2Device _device;
    private readonly byte[] _converted, _scaled;

    public V4l2LoopbackSink(IV4l2Device device, int width, int height)
    {
        _device = device;
        if ((device.DeviceCapabilities & V4l2Capability.VideoOutput) == 0)
        {
            device.Dispose();
            throw new SinkException($"{device.Path} is not a video output (a camera?); virtual cameras come from v4l2loopback: sudo modprobe v4l2loopback exclusive_caps=1");
        }
        Format = Negotiate(device, width, height);
        _converted = new byte[PixelConversion.FrameSize(Format.PixelFormat, (int)Format.Width, (int)Format.Height)];
        _scaled = new byte[Format.Width * Format.Height * 3];
    }

    public string Name => $"v4l2:{_device.Path}";
    public PixFormat Format { get; }

    /// <summary>Asks for each format in turn and takes the first the device keeps; the device may change the size.</summary>
    public static PixFormat Negotiate(IV4l2Device device, int width, int height)
    {
        foreach (var format in Preference)
        {
            var size = (uint)PixelConversion.FrameSize(format, width, height);
            var bytesPerLine = format switch { PixelConversion.Yuyv => width * 2, PixelConversion.Rgb24 => width * 3, _ => width };
            var answer = device.SetFormat(new PixFormat((uint)width, (uint)height, format, (uint)bytesPerLine, size));
            if (answer.PixelFormat == format && answer.Width > 0 && answer.Height > 0) return answer;
        }
        device.Dispose();
        throw new SinkException($"{device.Path} accepts none of YUYV, I420 or RGB24 at {width}x{height}");
    }

    public unsafe void Write(ReadOnlySpan<byte> bgr, int width, int height)
    {
        var source = bgr;
        int w = (int)Format.Width, h = (int)Format.Height;
        if (w != width || h != height)
        {
            fixed (byte* src = bgr)
            fixed (byte* dst = _scaled)
                ImageScaler.Resize(src, width, height, dst, w, h, 3);
            source = _scaled;
        }
        PixelConversion.Convert(Format.PixelFormat, source, w, h, _converted);
        _device.Write(_converted);
    }

    public void Complete() { }

    public void Dispose() => _device.Dispose();
}
