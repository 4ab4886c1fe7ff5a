namespace LiveStyle.Files;

/// <summary>
/// Reads a whole input file the way every reader of LiveStyle does: only a regular file with something in it (a
/// device, a pipe or an empty file reports no length, and /dev/zero would never end), at most <paramref name="maxBytes"/>
/// of it, both checked before anything is read or allocated.
/// </summary>
public static class InputFile
{
    public static byte[] ReadAll(string path, long maxBytes, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputFileException(Directory.Exists(path) ? $"{path} is a folder, not {what}" : $"{path} does not exist");
        if (info.Length == 0) throw new InputFileException($"{path} is empty, or not a regular file (a device or a pipe): not {what}");
        if (info.Length > maxBytes) throw new InputFileException($"{path} is {info.Length:N0} bytes, over the limit of {maxBytes:N0} for {what}");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var bytes = new byte[info.Length];
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
                throw new InputFileException($"{path} became shorter while it was read");
            return bytes;
        }
        catch (Exception e) when (e is IOException and not InputFileException or UnauthorizedAccessException)
        {
            throw new InputFileException($"cannot read {path}: {e.Message}");
        }
    }
}

/// <summary>An input file that is missing, empty, no regular file, too large, or unreadable; the message says which.</summary>
public sealed class InputFileException(string message) : IOException(message);
