using System.Security.Cryptography;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Store;

namespace LiveStyle.Models.Arbitrary;

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
        store.Verify(style.QualifiedName);
        return new PaintingStyles(ArbitraryStyle.Open(store.PathOf(style.QualifiedName)));
    }

    /// <summary>A painting smaller than this on its shorter side has no brush strokes to see.</summary>
    public const int MinPaintingSide = 32;

    /// <summary>Longer than this against its shorter side, the centre crop would see a sliver of it.</summary>
    public const int MaxAspect = 16;

    /// <summary>A painting's style vector, seen as <see cref="Seen"/> shows it.</summary>
    public float[] StyleOf(Image painting, int size)
    {
        var seen = Seen(painting, size);
        var planar = new float[3 * size * size];
        ImageTensors.ToPlanar(seen, planar);
        return Networks.Predict(planar, size, size);
    }

    /// <summary>What the predictor sees of a painting: resized (bilinear) so its shorter side is <paramref name="size"/>, centre-cropped square.</summary>
    public static Image Seen(Image painting, int size)
    {
        int shorter = Math.Min(painting.Width, painting.Height), longer = Math.Max(painting.Width, painting.Height);
        if (shorter < MinPaintingSide || longer > (long)MaxAspect * shorter)
            throw new ImageException($"a {painting.Width}x{painting.Height} picture cannot be a style: a painting needs at least {MinPaintingSide} pixels on its shorter side and at most {MaxAspect}:1");
        var scale = (double)size / shorter;
        int w = Math.Max(size, (int)Math.Round(painting.Width * scale)), h = Math.Max(size, (int)Math.Round(painting.Height * scale));
        return painting.Resize(w, h, bilinear: true).Crop((w - size) / 2, (h - size) / 2, size, size);
    }

    /// <summary>One painting of a blend, read and checked (<see cref="Read"/>).</summary>
    public sealed record Painting(string Path, Image Image, float Weight, string Sha256);

    /// <summary>
    /// Reads every painting of a blend under the limits any image has, and checks each can be seen as a style: before
    /// Magenta's networks are opened (or pulled), so a bad painting costs nothing.
    /// </summary>
    public static IReadOnlyList<Painting> Read(PaintingBlend blend, PaintingOptions options) => blend.Parts.Select(p =>
    {
        var image = ReadPainting(p.Path);
        Seen(image, options.Size);
        // Hashed once read: a file that is no image (or no regular file) has been refused by then.
        using var file = File.OpenRead(p.Path);
        return new Painting(p.Path, image, p.Weight, Convert.ToHexStringLower(SHA256.HashData(file)));
    }).ToList();

    public Weights Fold(PaintingBlend blend, PaintingOptions options, Image? photo = null) => Fold(blend.Name, Read(blend, options), options, photo);

    /// <summary>A network for a blend of paintings; with an intensity below 1, <paramref name="photo"/>'s own style vector is the other end.</summary>
    public Weights Fold(string name, IReadOnlyList<Painting> paintings, PaintingOptions options, Image? photo = null)
    {
        var (style, provenance) = Vector(paintings, options, photo);
        return Networks.Fold(style, name, provenance);
    }

    /// <summary>The style vector <see cref="Fold(string, IReadOnlyList{Painting}, PaintingOptions, Image?)"/> folds, and what made it (for the model's metadata).</summary>
    public (float[] Style, Dictionary<string, string> Provenance) Vector(IReadOnlyList<Painting> paintings, PaintingOptions options, Image? photo = null)
    {
        var style = Mix(paintings.Select(p => (StyleOf(p.Image, options.Size), p.Weight)).ToList());
        var provenance = new Dictionary<string, string>
        {
            ["painting_size"] = options.Size.ToString(),
            ["paintings"] = string.Join(" + ", paintings.Select(p => $"{Path.GetFileName(p.Path)}@{p.Weight:R} sha256:{p.Sha256}")),
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

    public void Dispose() => Networks.Dispose();
}
