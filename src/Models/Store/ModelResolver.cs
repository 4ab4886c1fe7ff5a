namespace LiveStyle.Models.Store;

/// <summary>Turns what a user typed after -m (a path, or a catalog style name) into a path to load.</summary>
public static class ModelResolver
{
    /// <summary>Returns an existing path; a catalog name that is not cached yet is pulled first.</summary>
    public static async Task<string> ResolveAsync(string nameOrPath, ModelStore store, Action<string>? notice = null, CancellationToken cancel = default)
    {
        if (File.Exists(nameOrPath) || Directory.Exists(nameOrPath)) return nameOrPath;
        if (store.Catalog.Find(nameOrPath) is not { } style)
            throw new StoreException($"model '{nameOrPath}' is not a file, a folder or a known style ({string.Join(", ", store.Catalog.Names)})");
        if (style.Collection.TakesPainting)
            throw new StoreException($"'{nameOrPath}' is the pair of networks that makes a style of any painting: give the painting itself (-m painting.jpg)");
        if (!store.IsCached(nameOrPath))
        {
            notice?.Invoke($"style '{nameOrPath}' is not cached; pulling it from {store.BaseUrlOf(style)}");
            await store.PullAsync(nameOrPath, cancel: cancel);
        }
        return store.PathOf(nameOrPath);
    }
}
