using System.Security.Cryptography;
using LiveStyle.Capture.Images;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Store;
using LiveStyle.Pipeline.Transform;

namespace LiveStyle.Pipeline.Styles;

/// <summary>How a painting becomes a style: the brush scale it is seen at, how strongly it replaces the photo's own style, and any refinement.</summary>
/// <param name="Size">The predictor sees the painting resized (bilinear) so its shorter side is this, centre-cropped square.</param>
/// <param name="Intensity">1: the painting's style vector; lower moves it towards the photo's own (Magenta's interpolation).</param>
public sealed record PaintingOptions(int Size = ArbitraryStyle.DefaultPaintingSize, float Intensity = 1);

/// <summary>
/// Paintings as styles, through Magenta's networks (<see cref="ArbitraryStyle"/>): a painting is read under the same
/// limits as any image, seen at its brush scale, turned into a style vector; blends mix vectors by weight, intensity
/// interpolates towards a photo's own vector; the vector is folded into an ordinary network.
/// </summary>
public sealed class PaintingStyles(ArbitraryStyle networks) : IDisposable
{
    public ArbitraryStyle Networks { get; } = networks;

    /// <summary>Opens Magenta's networks from the cache, pulling them (checked against their pinned SHA-256) on first use.</summary>
    public static async Task<PaintingStyles> OpenAsync(ModelStore store, Action<string>? notice, CancellationToken cancel)
    {
        var style = store.Catalog.ArbitraryNetworks;
        if (!store.IsCached(style.QualifiedName))
        {
            notice?.Invoke($"the arbitrary-style networks are not cached; pulling them from {store.BaseUrlOf(style)}");
            await store.PullAsync(style.QualifiedName, cancel: cancel);
        }
        return new PaintingStyles(ArbitraryStyle.Open(store.PathOf(style.QualifiedName)));
    }

    /// <summary>A painting smaller than this on its shorter side has no brush strokes to see.</summary>
    public const int MinPaintingSide = 32;

    /// <summary>Longer than this against its shorter side, the centre crop would see a sliver of it.</summary>
    public const int MaxAspect = 16;

    /// <summary>A painting's style vector, seen with its shorter side at <paramref name="size"/> and centre-cropped square.</summary>
    public float[] StyleOf(Image painting, int size)
    {
        int shorter = Math.Min(painting.Width, painting.Height), longer = Math.Max(painting.Width, painting.Height);
        if (shorter < MinPaintingSide || longer > (long)MaxAspect * shorter)
            throw new ImageException($"a {painting.Width}x{painting.Height} picture cannot be a style: a painting needs at least {MinPaintingSide} pixels on its shorter side and at most {MaxAspect}:1");
        var scale = (double)size / Math.Min(painting.Width, painting.Height);
        int w = Math.Max(size, (int)Math.Round(painting.Width * scale)), h = Math.Max(size, (int)Math.Round(painting.Height * scale));
        var seen = painting.Resize(w, h, bilinear: true).Crop((w - size) / 2, (h - size) / 2, size, size);
        var planar = new float[3 * size * size];
        ImageTensors.ToPlanar(seen, planar);
        return Networks.Predict(planar, size, size);
    }

    /// <summary>A network for <paramref name="blend"/>; with an intensity below 1, <paramref name="photo"/>'s own style vector is the other end.</summary>
    public Weights Fold(PaintingBlend blend, PaintingOptions options, Image? photo = null)
    {
        var (style, provenance) = Vector(blend, options, photo);
        return Networks.Fold(style, blend.Name, provenance);
    }

    /// <summary>The style vector <see cref="Fold(PaintingBlend, PaintingOptions, Image?)"/> folds, and what made it (for the model's metadata).</summary>
    public (float[] Style, Dictionary<string, string> Provenance) Vector(PaintingBlend blend, PaintingOptions options, Image? photo = null)
    {
        var style = Mix(blend.Parts.Select(p => (StyleOf(ReadPainting(p.Path), options.Size), p.Weight)).ToList());
        // Hashed once read: a file that is no image (or no regular file) has been refused by then.
        var provenance = new Dictionary<string, string>
        {
            ["painting_size"] = options.Size.ToString(),
            ["paintings"] = string.Join(" + ", blend.Parts.Select(p => $"{Path.GetFileName(p.Path)}@{p.Weight:R} sha256:{Sha256(p.Path)}")),
        };
        if (options.Intensity < 1)
        {
            if (photo == null) throw new ArgumentException("an intensity below 1 needs the photo whose own style it moves towards");
            style = Interpolate(StyleOf(photo, options.Size), style, options.Intensity);
            provenance["intensity"] = options.Intensity.ToString("R");
        }
        return (style, provenance);
    }

    /// <summary>A network for a painting that arrived as an image already (a dropped or uploaded file).</summary>
    public Weights Fold(Image painting, string name, string sha256, PaintingOptions options) =>
        Networks.Fold(StyleOf(painting, options.Size), name, new Dictionary<string, string>
        {
            ["painting_size"] = options.Size.ToString(),
            ["paintings"] = $"{name} sha256:{sha256}",
        });

    public static Image ReadPainting(string path)
    {
        if (!File.Exists(path)) throw new ImageException($"painting {path} does not exist");
        return ImageCodec.Read(path);
    }

    /// <summary>The weighted mean of style vectors (weights relative).</summary>
    public static float[] Mix(IReadOnlyList<(float[] Style, float Weight)> parts)
    {
        var total = parts.Sum(p => (double)p.Weight);
        var result = new float[parts[0].Style.Length];
        for (var i = 0; i < result.Length; i++) result[i] = (float)(parts.Sum(p => (double)p.Weight * p.Style[i]) / total);
        return result;
    }

    /// <summary><paramref name="from"/> + t·(<paramref name="to"/> − <paramref name="from"/>).</summary>
    public static float[] Interpolate(float[] from, float[] to, float t) => from.Select((f, i) => f + t * (to[i] - f)).ToArray();

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public void Dispose() => Networks.Dispose();
}
