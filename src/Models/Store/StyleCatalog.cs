using System.Text.Json;

namespace LiveStyle.Models.Store;

/// <summary>The pullable styles, each file pinned by size and SHA-256 (Store/ml5-styles.json, embedded).</summary>
public sealed class StyleCatalog
{
    public sealed record PinnedFile(string Sha256, long Size);

    public required string Source { get; init; }
    public required string BaseUrl { get; init; }
    public required string Default { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, PinnedFile>> Styles { get; init; }

    public static StyleCatalog Embedded { get; } = LoadEmbedded();

    public bool Contains(string name) => Styles.ContainsKey(name);

    private static StyleCatalog LoadEmbedded()
    {
        using var stream = typeof(StyleCatalog).Assembly.GetManifestResourceStream("ml5-styles.json")
                           ?? throw new InvalidOperationException("style catalog resource missing from the build");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        return new StyleCatalog
        {
            Source = root.GetProperty("source").GetString()!,
            BaseUrl = root.GetProperty("baseUrl").GetString()!,
            Default = root.GetProperty("default").GetString()!,
            Styles = root.GetProperty("styles").EnumerateObject().ToDictionary(
                s => s.Name,
                s => (IReadOnlyDictionary<string, PinnedFile>)s.Value.GetProperty("files").EnumerateObject().ToDictionary(
                    f => f.Name,
                    f => new PinnedFile(f.Value.GetProperty("sha256").GetString()!, f.Value.GetProperty("size").GetInt64()))),
        };
    }
}
