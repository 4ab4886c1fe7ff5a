using System.CommandLine;
using LiveStyle.Train.Loss;

namespace LiveStyle.Cli.Commands;

/// <summary>The layer and weight options of a perceptual loss; what is not given comes from the loss network's recipe.</summary>
public sealed record PerceptualOptions(Option<string> ContentLayers, Option<string> StyleLayers, Option<double?> ContentWeight, Option<double?> StyleWeight, Option<double?> TvWeight, Option<int?> LossScale)
{
    public static PerceptualOptions Create(string defaults) => new(
        new Option<string>("--content-layers") { Description = $"Content layers, e.g. relu4_2 or fire3,fire5:0.5 (default: {defaults})" },
        new Option<string>("--style-layers") { Description = "Style layers with optional weights, e.g. relu1_1,relu2_1:0.5 (default: the recipe's)" },
        new Option<double?>("--content-weight") { Description = "Weight of the content loss (default: the recipe's)" }.Within(0, 1e30),
        new Option<double?>("--style-weight") { Description = "Weight of the Gram style loss (default: the recipe's)" }.Within(0, 1e30),
        new Option<double?>("--tv-weight") { Description = "Weight of the total-variation loss (default: the recipe's)" }.Within(0, 1e30),
        new Option<int?>("--loss-scale") { Description = "Enlarge images this many times before the loss network sees them, so a stride-2 first layer sees every pixel (default: the recipe's)" }.Within(1, 4));

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { ContentLayers, StyleLayers, ContentWeight, StyleWeight, TvWeight, LossScale }) command.Options.Add(o);
    }

    public PerceptualRecipe Read(ParseResult parse, ILossNetwork network, PerceptualRecipe defaults) => new(
        Layers(parse, ContentLayers, defaults.Content).CheckedAgainst(network, "--content-layers"),
        Layers(parse, StyleLayers, defaults.Style).CheckedAgainst(network, "--style-layers"),
        parse.GetValue(ContentWeight) ?? defaults.ContentWeight, parse.GetValue(StyleWeight) ?? defaults.StyleWeight, parse.GetValue(TvWeight) ?? defaults.TvWeight,
        parse.GetValue(LossScale) ?? defaults.LossScale);

    private static LayerSelection Layers(ParseResult parse, Option<string> option, LayerSelection fallback)
    {
        if (parse.GetValue(option) is not { } text) return fallback;
        try { return LayerSelection.Parse(text); }
        catch (ArgumentException e) { throw new CliException($"{option.Name}: {e.Message}"); }
    }
}
