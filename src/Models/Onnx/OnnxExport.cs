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
