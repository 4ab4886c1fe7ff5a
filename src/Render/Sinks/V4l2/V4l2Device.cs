using System.Runtime.InteropServices;

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

/// <summary>A real /dev/videoN, through libc open/ioctl/write.</summary>
public sealed unsafe class V4l2DeviceFile : IV4l2Device
{
    // _IOR('V', 0, 104-byte v4l2_capability); _IOWR('V', 5, 208-byte v4l2_format)
    private const ulong QueryCap = 0x80685600, SetFmt = 0xC0D05605;
    private const uint CapDeviceCaps = 0x80000000, BufTypeVideoOutput = 2, FieldNone = 1, ColorspaceSrgb = 8;
    private const int Ebusy = 16, Enoent = 2, Eacces = 13;
    private readonly int _fd;

    [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);
    [DllImport("libc")] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int ioctl(int fd, ulong request, void* arg);
    [DllImport("libc", SetLastError = true)] private static extern nint write(int fd, byte* data, nint count);

    public V4l2DeviceFile(string path)
    {
        Path = path;
        _fd = open(path, 2 /* O_RDWR */);
        if (_fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new SinkException(errno switch
            {
                Enoent => $"{path} does not exist; load the loopback module first: sudo modprobe v4l2loopback exclusive_caps=1 card_label=LiveStyle",
                Ebusy => $"{path} is busy (another program is writing to it)",
                Eacces => $"no permission to open {path} (add yourself to the 'video' group)",
                _ => $"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}",
            });
        }
        var cap = stackalloc byte[104];
        if (ioctl(_fd, QueryCap, cap) != 0)
        {
            close(_fd);
            throw new SinkException($"{path} is not a V4L2 device");
        }
        var caps = *(uint*)(cap + 84);
        DeviceCapabilities = (caps & CapDeviceCaps) != 0 ? *(uint*)(cap + 88) : caps;
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
        if (ioctl(_fd, SetFmt, fmt) != 0) return requested with { PixelFormat = 0 };
        return new PixFormat(pix[0], pix[1], pix[2], pix[4], pix[5]);
    }

    public void Write(ReadOnlySpan<byte> frame)
    {
        fixed (byte* p = frame)
            if (write(_fd, p, frame.Length) < 0)
                throw new SinkException($"writing to {Path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    public void Dispose() => close(_fd);
}
