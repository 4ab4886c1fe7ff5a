using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Onnx;

/// <summary>
/// A <see cref="TransformNet"/> as a standard ONNX model (opset 17): input "input" and output "output",
/// float32 RGB 0..255 [N, 3, H, W] with dynamic batch, height and width. The metadata carries LiveStyle's
/// own keys (so the file loads back as the same network) and plain ones for other tools.
/// </summary>
public static class OnnxExport
{
    public const int Opset = 17;
    public const string InputName = "input", OutputName = "output";
    public const string Convention = "RGB, 0..255, float32, NCHW [N, 3, H, W]; the output has the input's size and convention";

    public static byte[] ToBytes(TransformNet net, ModelInfo info) => OnnxWire.Encode(ToModel(net, info));

    /// <summary>Weights as an ONNX model (built as a network first; <see cref="ExportedGraphs"/> keeps the result).</summary>
    public static byte[] ToBytes(Weights weights)
    {
        using var net = weights.ToNetwork();
        return ToBytes(net, weights.Info);
    }

    public const string StyleImageName = "style_image", StyleVectorName = "style_vector";

    /// <summary>
    /// Magenta's style predictor as ONNX (opset 17): "style_image" [1, 3, H, W] RGB 0..255 (any size; 256x256 as trained)
    /// to "style_vector" [1, N, 1, 1].
    /// </summary>
    public static OnnxModel Predictor(StylePredictorNet net, string licence)
    {
        var g = new OnnxGraphBuilder(net.NamedParameters());
        var output = net.Emit(g, StyleImageName);
        var graph = g.Build("magenta_style_predictor",
            new OnnxValueInfo(StyleImageName, (int)OnnxDataType.Float, [1, 3, null, null], [null, null, "height", "width"]), output,
            new OnnxValueInfo(StyleVectorName, (int)OnnxDataType.Float, [1, net.Config.Outputs, 1, 1], [null, null, null, null]));
        var metadata = new Dictionary<string, string> { ["input"] = "RGB, 0..255, float32, NCHW [1, 3, H, W]: a painting", ["output"] = "its style vector" };
        if (licence.Length > 0) metadata["license"] = licence;
        return new OnnxModel(graph, [("", Opset)], metadata)
        {
            ProducerName = "LiveStyle",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = "Magenta's arbitrary-style predictor (Ghiasi et al. 2017): MobileNet-v2, spatial mean, 1x1 projection",
        };
    }

    /// <summary>
    /// Magenta's transformer with its conditional norms kept conditional: inputs "input" (an image as every LiveStyle
    /// network takes it) and "style_vector" [1, N]; each norm's scale and shift are W·s + b computed in the graph. A page
    /// that runs the predictor on a painting feeds its vector straight in: any painting, with no export per painting.
    /// </summary>
    public static OnnxModel ConditionalTransformer(Arbitrary.ConditionalTransformer transformer, string licence)
    {
        var zero = new float[transformer.StyleSize];
        var weights = transformer.Fold(zero);
        using var net = new TransformNet(transformer.Config);
        using (var scope = Tensors.Torch.NewDisposeScope())
            net.LoadStateDict(weights.ToDictionary(kv => kv.Key, kv => Tensors.Torch.FromArray(kv.Value.Data, kv.Value.Shape)));
        var g = new OnnxGraphBuilder(net.NamedParameters());
        var norms = net.NamedModules().Where(m => m.Value is Tensors.Nn.InstanceNorm2d).ToDictionary(m => m.Name, m => (Tensors.Nn.InstanceNorm2d)m.Value);
        foreach (var p in transformer.Norms)
        {
            string Linear(HostTensor w, HostTensor b, string what)
            {
                // [1, N] × [N, C] + [C] → [1, C] → [C]
                var transposed = w.Permute(1, 0);
                var product = g.Node("MatMul", [StyleVectorName, g.Floats($"{p.Norm}.{what}.projection", transposed.Data, transposed.Shape)]);
                return g.Node("Reshape", [g.Node("Add", [product, g.Floats($"{p.Norm}.{what}.offset", b.Data, b.Shape)]), g.Ints(-1)]);
            }
            g.Condition(norms[p.Norm], Linear(p.GammaWeight, p.GammaBias, "scale"), Linear(p.BetaWeight, p.BetaBias, "shift"));
        }
        var output = net.Emit(g, InputName);
        string?[] names = ["batch", null, "height", "width"];
        var graph = g.Build("magenta_conditional_transformer",
            [new OnnxValueInfo(InputName, (int)OnnxDataType.Float, [1, 3, null, null], names),
             new OnnxValueInfo(StyleVectorName, (int)OnnxDataType.Float, [1, transformer.StyleSize], [null, null])],
            output, new OnnxValueInfo(OutputName, (int)OnnxDataType.Float, [1, 3, null, null], names));
        var metadata = new Dictionary<string, string> { ["input"] = Convention, ["style_vector"] = "the style predictor's output, as [1, N]" };
        if (licence.Length > 0) metadata["license"] = licence;
        return new OnnxModel(graph, [("", Opset)], metadata)
        {
            ProducerName = "LiveStyle",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = "Magenta's arbitrary-style transformer (Ghiasi et al. 2017) with conditional instance norms",
        };
    }

    public static OnnxModel ToModel(TransformNet net, ModelInfo info)
    {
        var g = new OnnxGraphBuilder(net.NamedParameters());
        var output = net.Emit(g, InputName);
        string?[] names = ["batch", null, "height", "width"];
        var graph = g.Build("livestyle_" + net.Config.Name,
            new OnnxValueInfo(InputName, (int)OnnxDataType.Float, [null, 3, null, null], names), output,
            new OnnxValueInfo(OutputName, (int)OnnxDataType.Float, [null, 3, null, null], names));
        var metadata = new Dictionary<string, string>(info.ToMetadata())
        {
            ["style"] = info.Style,
            ["source"] = info.Source,
            ["input"] = Convention,
        };
        if (info.Licence.Length > 0) metadata["license"] = info.Licence;
        return new OnnxModel(graph, [("", Opset)], metadata)
        {
            ProducerName = "LiveStyle",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{info.Style}: a {net.Config.Name} style transfer network ({info.Source})",
        };
    }
}
