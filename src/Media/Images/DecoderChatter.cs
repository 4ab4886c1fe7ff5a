using System.Runtime.InteropServices;
using System.Text;

namespace LiveStyle.Media.Images;

/// <summary>
/// What the native decoders inside OpenCV (libjpeg, libpng, libwebp) print on the process's stderr while one image
/// is decoded: caught in a temporary file instead of reaching the terminal above LiveStyle's own line, and handed
/// back so a warning that means corruption (libjpeg's "Corrupt JPEG data", after which it goes on with grey blocks)
/// can refuse the image. One decode at a time holds the redirection; elsewhere stderr is untouched.
/// </summary>
internal static partial class DecoderChatter
{
    private const int StandardError = 2;
    private static readonly Lock Gate = new();

    public static T Capture<T>(Func<T> decode, out string messages)
    {
        messages = "";
        if (OperatingSystem.IsWindows()) return decode();
        lock (Gate)
        {
            var path = Path.Combine(Path.GetTempPath(), $"livestyle-decoder-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
            using var file = File.Open(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Options = FileOptions.DeleteOnClose });
            var saved = Dup(StandardError);
            if (saved < 0) return decode();
            T result;
            try
            {
                Console.Error.Flush();
                if (Dup2((int)file.SafeFileHandle.DangerousGetHandle(), StandardError) < 0) return decode();
                result = decode();
            }
            finally
            {
                Dup2(saved, StandardError);
                Close(saved);
            }
            var length = (int)Math.Min(RandomAccess.GetLength(file.SafeFileHandle), 4096);
            var bytes = new byte[length];
            RandomAccess.Read(file.SafeFileHandle, bytes, 0);
            messages = Encoding.UTF8.GetString(bytes);
            return result;
        }
    }

    [LibraryImport("libc", EntryPoint = "dup")] private static partial int Dup(int fd);
    [LibraryImport("libc", EntryPoint = "dup2")] private static partial int Dup2(int from, int to);
    [LibraryImport("libc", EntryPoint = "close")] private static partial int Close(int fd);
}
