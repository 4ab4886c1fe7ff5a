using System.Security.Cryptography;

namespace LiveStyle.Models.Store;

/// <summary>
/// The user's model cache ($XDG_CACHE_HOME/livestyle/models, or LIVESTYLE_CACHE) and the pulling of
/// catalog styles into it. A style lands in the cache only after every file matched its pinned
/// SHA-256: files are fetched into a hidden temporary folder that is renamed into place at the end.
/// </summary>
public sealed class ModelStore(string cacheDirectory, string baseUrl, StyleCatalog catalog)
{
    public const string MirrorVariable = "LIVESTYLE_MODEL_MIRROR";
    public const string CacheVariable = "LIVESTYLE_CACHE";

    public string CacheDirectory { get; } = cacheDirectory;
    public string BaseUrl { get; } = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
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
        var mirror = Environment.GetEnvironmentVariable(MirrorVariable);
        var catalog = StyleCatalog.Embedded;
        return new ModelStore(cache, string.IsNullOrEmpty(mirror) ? catalog.BaseUrl : mirror, catalog);
    }

    public string PathOf(string style) => Path.Combine(CacheDirectory, style);

    public bool IsCached(string style) => Directory.Exists(PathOf(style));

    /// <summary>Fetches one style; progress reports (bytes done, bytes total).</summary>
    public async Task PullAsync(string style, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancel = default)
    {
        if (!Catalog.Styles.TryGetValue(style, out var files))
            throw new StoreException($"unknown style '{style}': pullable styles are {string.Join(", ", Catalog.Styles.Keys)}");
        Directory.CreateDirectory(CacheDirectory);
        var temp = Path.Combine(CacheDirectory, $".{style}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(temp);
        try
        {
            long total = files.Values.Sum(f => f.Size), done = 0;
            using var fetcher = new Fetcher(BaseUrl);
            foreach (var (file, pin) in files)
            {
                var bytes = await fetcher.GetAsync($"{style}/{file}", pin.Size, cancel);
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (bytes.Length != pin.Size || hash != pin.Sha256)
                    throw new StoreException($"{style}/{file} from {BaseUrl} does not match its pinned SHA-256 (got {bytes.Length} bytes, {hash[..12]}...); refusing it");
                await File.WriteAllBytesAsync(Path.Combine(temp, file), bytes, cancel);
                done += bytes.Length;
                progress?.Report((done, total));
            }
            Replace(PathOf(style), temp);
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
        var old = Path.Combine(CacheDirectory, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.old");
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
