using System.Globalization;

namespace LiveStyle.Train.Loss;

/// <summary>
/// What a perceptual loss compares and how much each part weighs: content features, style Gram
/// matrices (each layer weighted) and total variation. Networks carry tested defaults; users override.
/// </summary>
public sealed record PerceptualRecipe(LayerSelection Content, LayerSelection Style, double ContentWeight, double StyleWeight, double TvWeight)
{
    public static PerceptualRecipe Of(string content, string style, double contentWeight, double styleWeight, double tvWeight) =>
        new(LayerSelection.Parse(content), LayerSelection.Parse(style), contentWeight, styleWeight, tvWeight);

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["content_layers"] = Content.ToString(), ["style_layers"] = Style.ToString(), ["content_weight"] = Invariant(ContentWeight),
        ["style_weight"] = Invariant(StyleWeight), ["tv_weight"] = Invariant(TvWeight),
    };

    private static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
}
