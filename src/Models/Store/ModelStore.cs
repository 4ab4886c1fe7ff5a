using System.Security.Cryptography;

namespace LiveStyle.Models.Store;

/// <summary>
/// The user's model cache ($XDG_CACHE_HOME/livestyle/models, or LIVESTYLE_CACHE) and the pulling of
/// catalog styles into it. A style lands in the cache only after every file matched its pinned
/// SHA-256: files are fetched into a hidden temporary folder that is renamed into place at the end.
/// A mirror (LIVESTYLE_MODEL_MIRROR) replaces every collection's upstream URL: it holds one folder per
/// collection laid out as upstream (ml5/&lt;style&gt;/&lt;file&gt;, windows-ml/&lt;style&gt;.onnx).
/// </summary>
public sealed class ModelStore(string cacheDirectory, string? mirror, StyleCatalog catalog)
{
    public const string MirrorVariable = "LIVESTYLE_MODEL_MIRROR";
    public const string CacheVariable = "LIVESTYLE_CACHE";

    /// <summary>The most a file pinned by hash only (no published size) may be: far above any style network.</summary>
    private const long UnsizedLimit = 64L << 20;

    public string CacheDirectory { get; } = cacheDirectory;
    public string? Mirror { get; } = string.IsNullOrEmpty(mirror) ? null : mirror.TrimEnd('/') + "/";
    public StyleCatalog Catalog { get; } = catalog;

    public static ModelStore FromEnvironment()
    {
        var cache = Environment.GetEnvironmentVariable(CacheVariable);
        if (string.IsNullOrEmpty(cache))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(xdg)) xdg = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            cache = Path.Combine(xdg, "livestyle", "models");
        }
        return new ModelStore(cache, Environment.GetEnvironmentVariable(MirrorVariable), StyleCatalog.Embedded);
    }

    /// <summary>Where a style's files come from: its collection's folder in the mirror, or upstream.</summary>
    public string BaseUrlOf(StyleCatalog.Style style) => Mirror != null ? Mirror + style.Collection.MirrorFolder + "/" : style.Collection.BaseUrl;

    /// <summary>The cached folder of a style (ml5 styles keep their old place, other collections get a folder each).</summary>
    private string FolderOf(StyleCatalog.Style style) =>
        style.Collection == Catalog.Collections[0] ? Path.Combine(CacheDirectory, style.Name) : Path.Combine(CacheDirectory, style.Collection.Name, style.Name);

    /// <summary>What to load for a style: its folder (ml5 checkpoints, or an entry of several files), or its one file.</summary>
    public string PathOf(string name)
    {
        var style = Catalog.Require(name);
        var folder = FolderOf(style);
        return style.Collection.FolderPerStyle || style.Files.Count > 1 ? folder : Path.Combine(folder, style.Files.Keys.Single());
    }

    public bool IsCached(string name) => Directory.Exists(FolderOf(Catalog.Require(name)));

    /// <summary>Re-checks a cached entry's files against their pins: the cache is the user's to write, and a damaged or replaced file must not run.</summary>
    public void Verify(string name)
    {
        var style = Catalog.Require(name);
        VerifyFolder(FolderOf(style), style.Files.Select(f => (f.Key, f.Value)), $"run `livestyle models pull {style.QualifiedName}` to fetch it again");
    }

    /// <summary>Every file of a cached folder against its pin (size, then SHA-256); <paramref name="remedy"/> tells the user how to mend it.</summary>
    internal static void VerifyFolder(string folder, IEnumerable<(string File, StyleCatalog.PinnedFile Pin)> files, string remedy)
    {
        foreach (var (file, pin) in files)
        {
            var path = Path.Combine(folder, file);
            var info = new FileInfo(path);
            var matches = info.Exists && (pin.Size is not { } size || info.Length == size) && info.Length <= (pin.Size ?? UnsizedLimit);
            if (matches)
            {
                using var stream = File.OpenRead(path);
                matches = Convert.ToHexStringLower(SHA256.HashData(stream)) == pin.Sha256;
            }
            if (!matches) throw new StoreException($"{path} does not match its pinned SHA-256 (damaged or replaced?): {remedy}");
        }
    }

    /// <summary>Fetches one style; progress reports (bytes done, bytes total as far as pinned).</summary>
    public Task PullAsync(string name, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancel = default)
    {
        var style = Catalog.Require(name);
        return PullFolderAsync(FolderOf(style), BaseUrlOf(style), style.Files.Select(f => (style.RelativePath(f.Key), f.Key, f.Value)).ToList(), progress, cancel);
    }

    /// <summary>
    /// Fetches pinned files from <paramref name="baseUrl"/> into <paramref name="target"/>: into a hidden
    /// temporary folder first, each checked against its SHA-256 (and size, where pinned), then renamed into place.
    /// </summary>
    internal async Task PullFolderAsync(string target, string baseUrl, IReadOnlyList<(string Relative, string File, StyleCatalog.PinnedFile Pin)> files,
        IProgress<(long Done, long Total)>? progress, CancellationToken cancel)
    {
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(temp);
        try
        {
            long total = files.Sum(f => f.Pin.Size ?? 0), done = 0;
            using var fetcher = new Fetcher(baseUrl);
            foreach (var (relative, file, pin) in files)
            {
                var bytes = await fetcher.GetAsync(relative, pin.Size ?? UnsizedLimit, cancel);
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if ((pin.Size is { } size && bytes.Length != size) || hash != pin.Sha256)
                    throw new StoreException($"{relative} from {baseUrl} does not match its pinned SHA-256 (got {bytes.Length} bytes, {hash[..12]}...); refusing it");
                await File.WriteAllBytesAsync(Path.Combine(temp, file), bytes, cancel);
                done += bytes.Length;
                progress?.Report((done, Math.Max(total, done)));
            }
            Replace(target, temp);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Puts the verified folder in place of <paramref name="target"/>. Other pulls of the same style may run at
    /// once: the old copy is renamed aside (never emptied in place, where another pull's rename could land),
    /// and if another pull's folder lands first, it passed the same pins and is kept.
    /// </summary>
    private void Replace(string target, string verified)
    {
        var old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.old");
        try { Directory.Move(target, old); }
        catch (DirectoryNotFoundException) { }
        try { Directory.Move(verified, target); }
        catch (IOException) when (Directory.Exists(target)) { }
        finally
        {
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
    }
}

public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
