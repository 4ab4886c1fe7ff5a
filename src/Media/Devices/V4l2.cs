using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LiveStyle.Media.Devices;

/// <summary>What VIDIOC_QUERYCAP says about a device: its driver, its name, and the capabilities of this node.</summary>
public sealed record V4l2Capability(string Driver, string Card, uint DeviceCapabilities)
{
    public const uint VideoCapture = 0x1, VideoOutput = 0x2;
}

/// <summary>
/// The few V4L2 calls LiveStyle makes (describing cameras in Capture, the virtual-camera output in Render),
/// on libc directly. File descriptors are <see cref="SafeFileHandle"/>s: one owner, closed once.
/// </summary>
public static unsafe class V4l2
{
    // _IOR('V', 0, struct v4l2_capability[104])
    private const ulong QueryCap = 0x80685600;
    private const uint CapDeviceCaps = 0x80000000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)] private static extern int OpenFd(string path, int flags);
    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)] private static extern int IoctlFd(SafeFileHandle fd, ulong request, void* arg);
    [DllImport("libc", EntryPoint = "write", SetLastError = true)] private static extern nint WriteFd(SafeFileHandle fd, byte* data, nint count);

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

    public static string FourCc(uint code) => Encoding.ASCII.GetString(BitConverter.GetBytes(code)).TrimEnd('\0', ' ');

    /// <summary>A fixed-size, NUL-padded string field of a V4L2 struct.</summary>
    public static string Text(byte* p, int max) => Encoding.UTF8.GetString(p, max).TrimEnd('\0');
}
