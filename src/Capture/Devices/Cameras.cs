using LiveStyle.Media.Devices;
using Microsoft.Win32.SafeHandles;

namespace LiveStyle.Capture.Devices;

/// <summary>The cameras on this machine, as V4L2 describes them.</summary>
public static unsafe class Cameras
{
    // _IOWR('V', 2, struct v4l2_fmtdesc[64]), _IOWR('V', 74, struct v4l2_frmsizeenum[44])
    private const ulong EnumFmt = 0xC0405602, EnumFrameSizes = 0xC02C564A;
    private const uint BufTypeVideoCapture = 1, FrameSizeDiscrete = 1;

    public sealed record Camera(string Path, string Name, string Driver, IReadOnlyList<string> Modes);

    /// <summary>Every /dev/videoN that can capture, with its pixel formats and discrete sizes.</summary>
    public static List<Camera> List()
    {
        var cameras = new List<Camera>();
        foreach (var path in Directory.Exists("/dev") ? Directory.GetFiles("/dev", "video*").Order(StringComparer.Ordinal).ToArray() : [])
        {
            using var fd = V4l2.Open(path, out _);
            if (fd.IsInvalid) continue;
            if (V4l2.QueryCapability(fd) is not { } capability || (capability.DeviceCapabilities & V4l2Capability.VideoCapture) == 0) continue;
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
            if (V4l2.Ioctl(fd, EnumFmt, desc) != 0) break;
            var format = *(uint*)(desc + 44);
            var sizes = new List<string>();
            for (uint j = 0; j < 64; j++)
            {
                new Span<byte>(size, 44).Clear();
                *(uint*)size = j;
                *(uint*)(size + 4) = format;
                if (V4l2.Ioctl(fd, EnumFrameSizes, size) != 0 || *(uint*)(size + 8) != FrameSizeDiscrete) break;
                sizes.Add($"{*(uint*)(size + 12)}x{*(uint*)(size + 16)}");
            }
            modes.Add($"{V4l2.FourCc(format)} ({V4l2.Text(desc + 12, 32)}): {(sizes.Count > 0 ? string.Join(" ", sizes) : "any size")}");
        }
        return modes;
    }
}
