using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LiveStyle.Media;

/// <summary>
/// OpenCV and the FFmpeg inside it print warnings of their own on stderr ("moov atom not found", backend
/// notes), which would break LiveStyle's one-line errors; every failure is reported by the caller instead.
/// Both read their level from the environment once, at first use, so it is set (unless the user set it)
/// when this assembly loads, before any OpenCV call. Native code reads libc's environment, which .NET's
/// Environment.SetEnvironmentVariable does not change on Linux.
/// </summary>
internal static class OpenCvLogging
{
    [DllImport("libc", EntryPoint = "setenv")] private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "OpenCV reads its level once, at first use: this must run before any caller touches it.")]
    internal static void Quiet()
    {
        SetNativeEnvironment("OPENCV_LOG_LEVEL", "ERROR", 0);
        SetNativeEnvironment("OPENCV_FFMPEG_LOGLEVEL", "-8", 0); // AV_LOG_QUIET
    }
}
