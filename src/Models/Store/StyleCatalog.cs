using System.Text.Json;

namespace LiveStyle.Models.Store;

/// <summary>
/// The pullable styles, in collections (Store/*-styles.json, embedded), each file pinned by SHA-256 and,
/// where known, size. A style is named plainly ("candy") or with its collection ("ml5:udnie",
/// "johnson:udnie"); a plain name that two collections share means the first collection's, ml5's, as it
/// did before there were two.
/// </summary>
public sealed class StyleCatalog
{
    public sealed record PinnedFile(string Sha256, long? Size);

    /// <param name="TakesPainting">The entries are networks that make a style of any painting (magenta), not styles themselves.</param>
    public sealed record Collection(string Name, string MirrorFolder, bool FolderPerStyle, string Licence, string Source, string BaseUrl,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, PinnedFile>> Styles, bool TakesPainting = false);

    public sealed record Style(Collection Collection, string Name)
    {
        public string QualifiedName => $"{Collection.Name}:{Name}";
        public IReadOnlyDictionary<string, PinnedFile> Files => Collection.Styles[Name];

        /// <summary>Where a file sits below the collection's base URL (or its folder in a mirror).</summary>
        public string RelativePath(string file) => Collection.FolderPerStyle ? $"{Name}/{file}" : file;
    }

    public required IReadOnlyList<Collection> Collections { get; init; }
    public required string Default { get; init; }

    public static StyleCatalog Embedded { get; } = LoadEmbedded();

    public IEnumerable<Style> Styles => Collections.SelectMany(c => c.Styles.Keys.Select(name => new Style(c, name)));

    /// <summary>"name" or "collection:name"; null when unknown.</summary>
    public Style? Find(string name)
    {
        var colon = name.IndexOf(':');
        if (colon < 0) return Collections.Where(c => c.Styles.ContainsKey(name)).Select(c => new Style(c, name)).FirstOrDefault();
        var collection = Collections.FirstOrDefault(c => c.Name == name[..colon]);
        return collection != null && collection.Styles.ContainsKey(name[(colon + 1)..]) ? new Style(collection, name[(colon + 1)..]) : null;
    }

    public bool Contains(string name) => Find(name) != null;

    public Style Require(string name) => Find(name) ?? throw new StoreException($"unknown style '{name}': pullable styles are {string.Join(", ", Names)}");

    /// <summary>Each style by its shortest name that finds it: plain, or qualified where a plain name means another.</summary>
    public IEnumerable<string> Names => Styles.Where(s => !s.Collection.TakesPainting).Select(DisplayName);

    /// <summary>Magenta's arbitrary-style networks: not a style, but what makes one of any painting.</summary>
    public Style ArbitraryNetworks => Styles.First(s => s.Collection.TakesPainting);

    public string DisplayName(Style style) => Find(style.Name) == style ? style.Name : style.QualifiedName;

    private static StyleCatalog LoadEmbedded()
    {
        var collections = new[] { "ml5-styles.json", "johnson-styles.json", "magenta-networks.json" }.Select(ReadCollection).ToList();
        return new StyleCatalog { Collections = collections.Select(c => c.Collection).ToList(), Default = collections[0].Default! };
    }

    private static (Collection Collection, string? Default) ReadCollection(string resource)
    {
        using var stream = typeof(StyleCatalog).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"style catalog {resource} missing from the build");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var collection = new Collection(
            root.GetProperty("name").GetString()!,
            root.GetProperty("mirrorFolder").GetString()!,
            root.GetProperty("folderPerStyle").GetBoolean(),
            root.GetProperty("licence").GetString()!,
            root.GetProperty("source").GetString()!,
            root.GetProperty("baseUrl").GetString()!,
            root.GetProperty("styles").EnumerateObject().ToDictionary(
                s => s.Name,
                s => (IReadOnlyDictionary<string, PinnedFile>)s.Value.GetProperty("files").EnumerateObject().ToDictionary(
                    f => f.Name,
                    f => new PinnedFile(f.Value.GetProperty("sha256").GetString()!,
                        f.Value.TryGetProperty("size", out var size) ? size.GetInt64() : null))),
            root.TryGetProperty("takesPainting", out var painting) && painting.GetBoolean());
        return (collection, root.TryGetProperty("default", out var d) ? d.GetString() : null);
    }
}
