using System.Text.Json;
using System.Text.Json.Serialization;
using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Formats;

/// <summary>What a model file says about itself: its network layout, style, origin and how it was trained.</summary>
public sealed record ModelInfo(TransformNetConfig Config, string Style, string Source, IReadOnlyDictionary<string, string> Training)
{
    private const string Prefix = "livestyle.";

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
        foreach (var (k, v) in Training) m[Prefix + "training." + k] = v;
        return m;
    }

    /// <summary>Reads LiveStyle metadata; null when the file carries none (a plain safetensors state dict).</summary>
    public static ModelInfo? FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(Prefix + "architecture", out var arch)) return null;
        TransformNetConfig config;
        try { config = JsonSerializer.Deserialize<TransformNetConfig>(arch, Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new ModelFormatException($"{path}: architecture metadata is unreadable ({e.Message})", e); }
        var training = metadata.Where(kv => kv.Key.StartsWith(Prefix + "training.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[(Prefix.Length + "training.".Length)..], kv => kv.Value);
        return new ModelInfo(config, metadata.GetValueOrDefault(Prefix + "style", ""), metadata.GetValueOrDefault(Prefix + "source", ""), training);
    }
}
