using System.Globalization;
using LiveStyle.Tensors;

namespace LiveStyle.Train.Loss;

/// <summary>
/// What a perceptual loss compares and how much each part weighs: content features, style Gram
/// matrices (each layer weighted) and total variation. Networks carry tested defaults; users override.
/// <see cref="LossScale"/> enlarges every image (bilinear) before the loss network sees it: a network
/// whose first layer has stride 2 samples every other pixel, so without it a pixel-period checker
/// folds into a constant offset of that layer's features, a pattern the network under training can
/// use for free to move the Gram matrices (SqueezeNet's grid, docs/TRAINING.md).
/// </summary>
public sealed record PerceptualRecipe(LayerSelection Content, LayerSelection Style, double ContentWeight, double StyleWeight, double TvWeight, int LossScale = 1)
{
    public static PerceptualRecipe Of(string content, string style, double contentWeight, double styleWeight, double tvWeight, int lossScale = 1) =>
        new(LayerSelection.Parse(content), LayerSelection.Parse(style), contentWeight, styleWeight, tvWeight, lossScale);

    /// <summary>The network's features of <paramref name="rgb255"/> as this recipe has it seen (enlarged <see cref="LossScale"/> times).</summary>
    public Tensor[] Features(ILossNetwork network, Tensor rgb255, IReadOnlyList<string> layers)
    {
        if (LossScale == 1) return network.Features(rgb255, layers);
        using var seen = Functional.UpsampleBilinear(rgb255, rgb255.Size(2) * LossScale, rgb255.Size(3) * LossScale);
        return network.Features(seen, layers);
    }

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["content_layers"] = Content.ToString(), ["style_layers"] = Style.ToString(), ["content_weight"] = Invariant(ContentWeight),
        ["style_weight"] = Invariant(StyleWeight), ["tv_weight"] = Invariant(TvWeight), ["loss_scale"] = Invariant(LossScale),
    };

    private static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
}
