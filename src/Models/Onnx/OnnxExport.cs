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
