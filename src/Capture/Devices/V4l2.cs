using System.Runtime.InteropServices;
using System.Text;

namespace LiveStyle.Capture.Devices;

/// <summary>The few V4L2 ioctls needed to describe cameras, called on libc directly.</summary>
public static unsafe class V4l2
{
    // _IOR('V', 0, struct v4l2_capability[104]), _IOWR('V', 2, struct v4l2_fmtdesc[64]), _IOWR('V', 74, struct v4l2_frmsizeenum[44])
    private const ulong QueryCap = 0x80685600, EnumFmt = 0xC0405602, EnumFrameSizes = 0xC02C564A;
    private const uint CapVideoCapture = 0x1, CapDeviceCaps = 0x80000000, BufTypeVideoCapture = 1, FrameSizeDiscrete = 1;

    [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);
    [DllImport("libc")] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int ioctl(int fd, ulong request, void* arg);

    public sealed record Camera(string Path, string Name, string Driver, IReadOnlyList<string> Modes);

    /// <summary>Every /dev/videoN that can capture, with its pixel formats and discrete sizes.</summary>
    public static List<Camera> ListCameras()
    {
        var cameras = new List<Camera>();
        var cap = stackalloc byte[104];
        foreach (var path in Directory.Exists("/dev") ? Directory.GetFiles("/dev", "video*").Order(StringComparer.Ordinal).ToArray() : [])
        {
            var fd = open(path, 2 /* O_RDWR */);
            if (fd < 0) continue;
            try
            {
                new Span<byte>(cap, 104).Clear();
                if (ioctl(fd, QueryCap, cap) != 0) continue;
                var caps = *(uint*)(cap + 84);
                if ((caps & CapDeviceCaps) != 0) caps = *(uint*)(cap + 88);
                if ((caps & CapVideoCapture) == 0) continue;
                cameras.Add(new Camera(path, Text(cap + 16, 32), Text(cap, 16), Modes(fd)));
            }
            finally { close(fd); }
        }
        return cameras;
    }

    private static List<string> Modes(int fd)
    {
        var modes = new List<string>();
        var desc = stackalloc byte[64];
        var size = stackalloc byte[44];
        for (uint i = 0; ; i++)
        {
            new Span<byte>(desc, 64).Clear();
            *(uint*)desc = i;
            *(uint*)(desc + 4) = BufTypeVideoCapture;
            if (ioctl(fd, EnumFmt, desc) != 0) break;
            var format = *(uint*)(desc + 44);
            var sizes = new List<string>();
            for (uint j = 0; j < 64; j++)
            {
                new Span<byte>(size, 44).Clear();
                *(uint*)size = j;
                *(uint*)(size + 4) = format;
                if (ioctl(fd, EnumFrameSizes, size) != 0 || *(uint*)(size + 8) != FrameSizeDiscrete) break;
                sizes.Add($"{*(uint*)(size + 12)}x{*(uint*)(size + 16)}");
            }
            modes.Add($"{FourCc(format)} ({Text(desc + 12, 32)}): {(sizes.Count > 0 ? string.Join(" ", sizes) : "any size")}");
        }
        return modes;
    }

    public static string FourCc(uint code) => Encoding.ASCII.GetString(BitConverter.GetBytes(code)).TrimEnd('\0', ' ');

    private static string Text(byte* p, int max) => Encoding.UTF8.GetString(p, max).TrimEnd('\0');
}
