using System.Text.Json;
using System.Text.Json.Serialization;
using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Formats;

/// <summary>What a model file says about itself: its network layout, style, origin and how it was trained.</summary>
public sealed record ModelInfo(TransformNetConfig Config, string Style, string Source, IReadOnlyDictionary<string, string> Training)
{
    private const string Prefix = "livestyle.";

    /// <summary>The weights' licence as their publisher states it; empty when unknown.</summary>
    public string Licence { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public Dictionary<string, string> ToMetadata()
    {
        var m = new Dictionary<string, string>
        {
            [Prefix + "format"] = "1",
            [Prefix + "architecture"] = JsonSerializer.Serialize(Config, Json),
            [Prefix + "style"] = Style,
            [Prefix + "source"] = Source,
        };
        if (Licence.Length > 0) m[Prefix + "licence"] = Licence;
        foreach (var (k, v) in Training) m[Prefix + "training." + k] = v;
        return m;
    }

    /// <summary>Reads LiveStyle metadata; null when the file carries none (a plain safetensors state dict).</summary>
    public static ModelInfo? FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(Prefix + "architecture", out var arch)) return null;
        if (metadata.GetValueOrDefault(Prefix + "format") is { } version && version != "1")
            throw new ModelFormatException($"{path} is LiveStyle model format {Sanitize(version)}; this LiveStyle reads format 1 (a newer LiveStyle wrote it?)");
        TransformNetConfig config;
        try { config = JsonSerializer.Deserialize<TransformNetConfig>(arch, Json) ?? throw new JsonException("empty"); }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"{path}: architecture metadata is unreadable ({Sanitize(e.Message)})", e);
        }
        if (config.Problem() is { } problem) throw new ModelFormatException($"{path}: architecture metadata is out of range: {problem}");
        // Everything else is text for people, and it reaches terminals: it is sanitised once, here.
        var training = metadata.Where(kv => kv.Key.StartsWith(Prefix + "training.", StringComparison.Ordinal))
            .ToDictionary(kv => Sanitize(kv.Key[(Prefix.Length + "training.".Length)..]), kv => Sanitize(kv.Value, MaxTrainingValue));
        return new ModelInfo(config, Sanitize(metadata.GetValueOrDefault(Prefix + "style", "")), Sanitize(metadata.GetValueOrDefault(Prefix + "source", "")), training)
        {
            Licence = Sanitize(metadata.GetValueOrDefault(Prefix + "licence", "")),
        };
    }

    /// <summary>
    /// Text from a model file made safe for a terminal: control characters (escape sequences, newlines that
    /// could forge a line) and bidirectional overrides are shown as \uXXXX, and very long values are cut.
    /// </summary>
    /// <summary>A training value may be long (a painting's 100-number style vector is about 1,100 characters), not unbounded.</summary>
    public const int MaxTrainingValue = 4096;

    public static string Sanitize(string text, int max = 300)
    {
        var b = new System.Text.StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) b.Append($"\\u{(int)c:x4}");
            else b.Append(c);
        }
        if (text.Length > max) b.Append('…');
        return b.ToString();
    }
}
