using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LiveStyle.Capture.Devices;

/// <summary>What VIDIOC_QUERYCAP says about a device: its driver, its name, and the capabilities of this node.</summary>
public sealed record V4l2Capability(string Driver, string Card, uint DeviceCapabilities)
{
    public const uint VideoCapture = 0x1, VideoOutput = 0x2;
}

/// <summary>
/// The few V4L2 calls LiveStyle makes (describing cameras here, the virtual-camera output in Render),
/// on libc directly. File descriptors are <see cref="SafeFileHandle"/>s: one owner, closed once.
/// </summary>
public static unsafe class V4l2
{
    // _IOR('V', 0, struct v4l2_capability[104]), _IOWR('V', 2, struct v4l2_fmtdesc[64]), _IOWR('V', 74, struct v4l2_frmsizeenum[44])
    private const ulong QueryCap = 0x80685600, EnumFmt = 0xC0405602, EnumFrameSizes = 0xC02C564A;
    private const uint CapDeviceCaps = 0x80000000, BufTypeVideoCapture = 1, FrameSizeDiscrete = 1;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)] private static extern int OpenFd(string path, int flags);
    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)] private static extern int IoctlFd(SafeFileHandle fd, ulong request, void* arg);
    [DllImport("libc", EntryPoint = "write", SetLastError = true)] private static extern nint WriteFd(SafeFileHandle fd, byte* data, nint count);

    public sealed record Camera(string Path, string Name, string Driver, IReadOnlyList<string> Modes);

    /// <summary>Opens a device read-write; on failure the handle is invalid and <paramref name="errno"/> says why.</summary>
    public static SafeFileHandle Open(string path, out int errno)
    {
        var fd = OpenFd(path, 2 /* O_RDWR */);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: fd >= 0);
    }

    public static int Ioctl(SafeFileHandle fd, ulong request, void* arg) => IoctlFd(fd, request, arg);

    /// <summary>write(2) of a whole frame; false with errno on failure.</summary>
    public static bool Write(SafeFileHandle fd, ReadOnlySpan<byte> data, out int errno)
    {
        fixed (byte* p = data)
        {
            var ok = WriteFd(fd, p, data.Length) >= 0;
            errno = ok ? 0 : Marshal.GetLastPInvokeError();
            return ok;
        }
    }

    /// <summary>VIDIOC_QUERYCAP, with the node's own capabilities when the driver reports them; null when it is no V4L2 device.</summary>
    public static V4l2Capability? QueryCapability(SafeFileHandle fd)
    {
        var cap = stackalloc byte[104];
        new Span<byte>(cap, 104).Clear();
        if (IoctlFd(fd, QueryCap, cap) != 0) return null;
        var caps = *(uint*)(cap + 84);
        if ((caps & CapDeviceCaps) != 0) caps = *(uint*)(cap + 88);
        return new V4l2Capability(Text(cap, 16), Text(cap + 16, 32), caps);
    }

    /// <summary>Every /dev/videoN that can capture, with its pixel formats and discrete sizes.</summary>
    public static List<Camera> ListCameras()
    {
        var cameras = new List<Camera>();
        foreach (var path in Directory.Exists("/dev") ? Directory.GetFiles("/dev", "video*").Order(StringComparer.Ordinal).ToArray() : [])
        {
            using var fd = Open(path, out _);
            if (fd.IsInvalid) continue;
            if (QueryCapability(fd) is not { } capability || (capability.DeviceCapabilities & V4l2Capability.VideoCapture) == 0) continue;
            cameras.Add(new Camera(path, capability.Card, capability.Driver, Modes(fd)));
        }
        return cameras;
    }

    private static List<string> Modes(SafeFileHandle fd)
    {
        var modes = new List<string>();
        var desc = stackalloc byte[64];
        var size = stackalloc byte[44];
        for (uint i = 0; ; i++)
        {
            new Span<byte>(desc, 64).Clear();
            *(uint*)desc = i;
            *(uint*)(desc + 4) = BufTypeVideoCapture;
            if (IoctlFd(fd, EnumFmt, desc) != 0) break;
            var format = *(uint*)(desc + 44);
            var sizes = new List<string>();
            for (uint j = 0; j < 64; j++)
            {
                new Span<byte>(size, 44).Clear();
                *(uint*)size = j;
                *(uint*)(size + 4) = format;
                if (IoctlFd(fd, EnumFrameSizes, size) != 0 || *(uint*)(size + 8) != FrameSizeDiscrete) break;
                sizes.Add($"{*(uint*)(size + 12)}x{*(uint*)(size + 16)}");
            }
            modes.Add($"{FourCc(format)} ({Text(desc + 12, 32)}): {(sizes.Count > 0 ? string.Join(" ", sizes) : "any size")}");
        }
        return modes;
    }

    public static string FourCc(uint code) => Encoding.ASCII.GetString(BitConverter.GetBytes(code)).TrimEnd('\0', ' ');

    private static string Text(byte* p, int max) => Encoding.UTF8.GetString(p, max).TrimEnd('\0');
}
