using System.Globalization;
using LiveStyle.Media.Images;

namespace LiveStyle.Models.Arbitrary;

/// <summary>
/// One painting, or a weighted blend of several, named where a model is expected: "starry.jpg", or
/// "starry.jpg@0.7+scream.jpg@0.3" (weights are relative; a part without one weighs 1).
/// </summary>
public sealed record PaintingBlend(IReadOnlyList<(string Path, float Weight)> Parts)
{
    public const int MaxParts = 16;

    /// <summary>The name styles made from it carry: the paintings' file names.</summary>
    public string Name => string.Join("+", Parts.Select(p => System.IO.Path.GetFileNameWithoutExtension(p.Path)));

    /// <summary>A painting or blend when every part names an image file; null for anything else (a style name, a model file).</summary>
    public static PaintingBlend? TryParse(string text)
    {
        if (ImageCodec.IsImagePath(text) && !text.Contains('+')) return new([(text, 1f)]);
        if (File.Exists(text) || Directory.Exists(text)) return null;
        var parts = new List<(string, float)>();
        foreach (var part in text.Split('+'))
        {
            var at = part.LastIndexOf('@');
            var path = at < 0 ? part : part[..at];
            if (!ImageCodec.IsImagePath(path)) return null;
            var weight = 1f;
            if (at >= 0 && !(float.TryParse(part[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) && float.IsFinite(weight) && weight >= 0 && weight <= 1000))
                throw new ArgumentException($"painting weight '{part[(at + 1)..]}' in '{text}' is not a number from 0 to 1000");
            parts.Add((path, weight));
        }
        if (parts.Count > MaxParts) throw new ArgumentException($"a blend of {parts.Count} paintings; at most {MaxParts}");
        if (parts.Sum(p => p.Item2) <= 0) throw new ArgumentException($"the weights in '{text}' add up to nothing");
        return new PaintingBlend(parts);
    }
}
