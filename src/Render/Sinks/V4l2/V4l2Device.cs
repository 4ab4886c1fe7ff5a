using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LiveStyle.Render.Sinks.V4l2;

/// <summary>The format part of struct v4l2_pix_format that negotiation reads and writes.</summary>
public sealed record PixFormat(uint Width, uint Height, uint PixelFormat, uint BytesPerLine, uint SizeImage);

/// <summary>A V4L2 output device as the loopback sink sees it: its capabilities, format negotiation, and write().</summary>
public interface IV4l2Device : IDisposable
{
    string Path { get; }
    uint DeviceCapabilities { get; }

    /// <summary>VIDIOC_S_FMT for the output queue; returns the format the driver settled on.</summary>
    PixFormat SetFormat(PixFormat requested);

    void Write(ReadOnlySpan<byte> frame);
}

/// <summary>A real /dev/videoN, through <see cref="Media.Devices.V4l2"/>'s libc calls.</summary>
public sealed unsafe class V4l2DeviceFile : IV4l2Device
{
    // _IOWR('V', 5, 208-byte v4l2_format)
    private const ulong SetFmt = 0xC0D05605;
    private const uint BufTypeVideoOutput = 2, FieldNone = 1, ColorspaceSrgb = 8;
    private const int Ebusy = 16, Enoent = 2, Eacces = 13;
    private readonly SafeFileHandle _fd;

    public V4l2DeviceFile(string path)
    {
        Path = path;
        _fd = Media.Devices.V4l2.Open(path, out var errno);
        if (_fd.IsInvalid)
        {
            throw new SinkException(errno switch
            {
                Enoent => $"{path} does not exist; load the loopback module first: sudo modprobe v4l2loopback exclusive_caps=1 card_label=LiveStyle",
                Ebusy => $"{path} is busy (another program is writing to it)",
                Eacces => $"no permission to open {path} (add yourself to the 'video' group)",
                _ => $"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}",
            });
        }
        if (Media.Devices.V4l2.QueryCapability(_fd) is not { } capability)
        {
            _fd.Dispose();
            throw new SinkException($"{path} is not a V4L2 device");
        }
        DeviceCapabilities = capability.DeviceCapabilities;
    }

    public string Path { get; }
    public uint DeviceCapabilities { get; }

    public PixFormat SetFormat(PixFormat requested)
    {
        var fmt = stackalloc byte[208];
        new Span<byte>(fmt, 208).Clear();
        *(uint*)fmt = BufTypeVideoOutput;
        var pix = (uint*)(fmt + 8); // the union follows the type, 8-byte aligned
        (pix[0], pix[1], pix[2], pix[3], pix[4], pix[5], pix[6]) =
            (requested.Width, requested.Height, requested.PixelFormat, FieldNone, requested.BytesPerLine, requested.SizeImage, ColorspaceSrgb);
        if (Media.Devices.V4l2.Ioctl(_fd, SetFmt, fmt) != 0) return requested with { PixelFormat = 0 };
        return new PixFormat(pix[0], pix[1], pix[2], pix[4], pix[5]);
    }

    public void Write(ReadOnlySpan<byte> frame)
    {
        if (!Media.Devices.V4l2.Write(_fd, frame, out var errno))
            throw new SinkException($"writing to {Path} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    public void Dispose() => _fd.Dispose();
}
