namespace LiveStyle.Models.Formats.Tflite;

/// <summary>Which of the TensorFlow Lite layouts LiveStyle knows a file holds, for `models info`.</summary>
public static class TfliteLayouts
{
    public static (string Layout, long Parameters, string Licence) Describe(string path)
    {
        var model = TfliteFile.Read(path);
        if (model.Inputs.Length == 2)
        {
            var transformer = MagentaTransformerLayout.Read(model);
            var parameters = transformer.Convolutions.Values.Sum(t => t.Data.LongLength)
                             + transformer.Norms.Sum(n => n.GammaWeight.Data.LongLength + n.GammaBias.Data.LongLength + n.BetaWeight.Data.LongLength + n.BetaBias.Data.LongLength);
            return ($"Magenta style transformer ({string.Join("-", transformer.Config.Channels)} channels, {transformer.Norms.Count} conditional norms of a {transformer.StyleSize}-number style)",
                parameters, model.Licence);
        }
        var (config, weights) = MagentaPredictorLayout.Read(model);
        return ($"Magenta style predictor (MobileNet-v2, {config.Blocks.Count} blocks, {config.Head} features to a {config.Outputs}-number style)",
            weights.Values.Sum(t => t.Data.LongLength), model.Licence);
    }
}
