namespace LiveStyle.Files;

/// <summary>
/// Every output LiveStyle writes appears under its final name only when complete: it is written
/// under a hidden temporary name beside the target (same folder, so the rename is atomic) and renamed
/// into place at the end; a failure or interruption removes the temporary file and leaves any
/// existing file untouched. <see cref="Write"/> is the form for data written here; <see cref="Reserve"/>
/// hands the temporary name to another writer (FFmpeg) and publishes it afterwards.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        using var pending = Reserve(path, overwrite);
        using (var stream = new FileStream(pending.TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        pending.Publish();
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy), overwrite);
    }

    /// <summary>
    /// Checks that <paramref name="path"/> can be written and creates its (empty) temporary file;
    /// disposing the result without <see cref="PendingFile.Publish"/> removes it.
    /// </summary>
    /// <exception cref="IOException">The folder does not exist or is not writable, or the file exists and <paramref name="overwrite"/> is false.</exception>
    public static PendingFile Reserve(string path, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new IOException($"output folder {dir} does not exist");
        if (!overwrite && File.Exists(full)) throw new IOException($"{path} already exists (use --force to replace it)");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try { new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new IOException($"cannot write to {dir}: {e.Message}", e); }
        return new PendingFile(temp, full, overwrite);
    }

    /// <summary>
    /// The same for a numbered sequence of files (frame_%05d.png): a hidden temporary folder inside
    /// <paramref name="folder"/> that another writer fills; publishing moves its files into place.
    /// </summary>
    public static PendingFolder ReserveFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new IOException($"output folder {folder} does not exist");
        var temp = Path.Combine(folder, $".{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try { Directory.CreateDirectory(temp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new IOException($"cannot write to {folder}: {e.Message}", e); }
        return new PendingFolder(temp, folder);
    }
}

/// <summary>A reserved temporary file that becomes <see cref="FinalPath"/> on <see cref="Publish"/>, or disappears on dispose.</summary>
public sealed class PendingFile : IDisposable
{
    private readonly bool _overwrite;
    private bool _published;

    internal PendingFile(string temporaryPath, string finalPath, bool overwrite) =>
        (TemporaryPath, FinalPath, _overwrite) = (temporaryPath, finalPath, overwrite);

    public string TemporaryPath { get; }
    public string FinalPath { get; }

    public void Publish()
    {
        File.Move(TemporaryPath, FinalPath, _overwrite);
        _published = true;
    }

    public void Dispose()
    {
        if (_published) return;
        try { File.Delete(TemporaryPath); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A reserved temporary folder whose files move into <see cref="FinalFolder"/> on <see cref="Publish"/>, or disappear on dispose.</summary>
public sealed class PendingFolder : IDisposable
{
    private bool _published;

    internal PendingFolder(string temporaryFolder, string finalFolder) => (TemporaryFolder, FinalFolder) = (temporaryFolder, finalFolder);

    public string TemporaryFolder { get; }
    public string FinalFolder { get; }

    public void Publish()
    {
        foreach (var file in Directory.GetFiles(TemporaryFolder).Order(StringComparer.Ordinal))
            File.Move(file, Path.Combine(FinalFolder, Path.GetFileName(file)), overwrite: true);
        Directory.Delete(TemporaryFolder);
        _published = true;
    }

    public void Dispose()
    {
        if (_published) return;
        try { Directory.Delete(TemporaryFolder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
