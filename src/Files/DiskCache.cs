using System.Security.Cryptography;

namespace LiveStyle.Files;

/// <summary>
/// Bytes kept on disk under a key, so that a later process reads what an earlier one made. Each file is named
/// key.HASH.extension, HASH being the start of its contents' SHA-256: a damaged or truncated file no longer matches
/// its name and is made again rather than used. Files appear atomically (<see cref="AtomicFile"/>); a file unused for
/// <see cref="KeepUnused"/> is removed when another is added; a folder that cannot be written only means that
/// nothing is kept. A file is read only when it is a regular file within <paramref name="maxBytes"/>.
/// </summary>
public sealed class DiskCache(string folder, long maxBytes)
{
    public static readonly TimeSpan KeepUnused = TimeSpan.FromDays(30);

    public string Folder { get; } = folder;

    /// <param name="key">Letters, digits, '-' and '_' only: it becomes part of a file name.</param>
    /// <param name="extension">The extension the file is given (without the dot), so it opens in tools that know the format.</param>
    public byte[] GetOrAdd(string key, string extension, Func<byte[]> make)
    {
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"a cache key is letters, digits, '-' and '_', not '{key}'", nameof(key));
        if (Find(key, extension) is { } kept) return kept;
        var bytes = make();
        Keep(key, extension, bytes);
        return bytes;
    }

    private byte[]? Find(string key, string extension)
    {
        string[] files;
        try { files = Directory.Exists(Folder) ? Directory.GetFiles(Folder, $"{key}.*.{extension}") : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        foreach (var file in files)
        {
            try
            {
                var bytes = InputFile.ReadAll(file, maxBytes, "a cached file");
                if (Path.GetFileName(file) == NameOf(key, extension, bytes))
                {
                    File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
                    return bytes;
                }
            }
            catch (InputFileException) { } // empty, too large or not a regular file: made again, like a damaged one
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            Remove(file);
        }
        return null;
    }

    private static void Remove(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private void Keep(string key, string extension, byte[] bytes)
    {
        try
        {
            Directory.CreateDirectory(Folder);
            AtomicFile.WriteAllBytes(Path.Combine(Folder, NameOf(key, extension, bytes)), bytes, overwrite: true);
            foreach (var old in new DirectoryInfo(Folder).EnumerateFiles().Where(f => DateTime.UtcNow - f.LastWriteTimeUtc > KeepUnused))
                old.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string NameOf(string key, string extension, byte[] bytes) =>
        $"{key}.{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}.{extension}";
}
