using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;

namespace LiveStyle.Models.Formats;

/// <summary>
/// A .onnx file: a layout LiveStyle knows (its own export, or jcjohnson/fast-neural-style's networks as
/// Windows ML ships them) becomes <see cref="Weights"/>; anything else is kept as bytes to run as it is.
/// </summary>
public sealed record OnnxModelFile(byte[] Bytes, Weights? Weights, string Style, string Licence)
{
    public const string Extension = ".onnx";

    public static bool IsOnnxPath(string path) => Path.GetExtension(path).Equals(Extension, StringComparison.OrdinalIgnoreCase) && File.Exists(path);

    public static OnnxModelFile Read(string path)
    {
        var bytes = ModelLimits.ReadFile(path);
        var model = OnnxWire.Decode(bytes, path);
        if (model.Graph.Nodes.Count == 0) throw new ModelFormatException($"{path}: an ONNX file with an empty graph");
        var style = model.Metadata.GetValueOrDefault("style") is { Length: > 0 } s ? ModelInfo.Sanitize(s) : Path.GetFileNameWithoutExtension(path);
        var licence = ModelInfo.Sanitize(model.Metadata.GetValueOrDefault("license") ?? model.Metadata.GetValueOrDefault("licence") ?? "");
        // Constants a foreign graph runs with are checked like a network's weights: NaN and infinities are poison.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in model.Graph.Initializers)
        {
            if (!names.Add(t.Name)) throw new ModelFormatException($"{path}: two initializers are named {ModelInfo.Sanitize(t.Name, 80)}");
            if (t.Floats is { } values && !Inference.FiniteValues.All(values))
                throw new ModelFormatException($"{path}: initializer {ModelInfo.Sanitize(t.Name)} holds a value that is not a finite number");
        }
        var weights = OwnExport(model, path) ?? JohnsonLayout.TryRead(model, path, style, licence);
        return new OnnxModelFile(bytes, weights, weights?.Info.Style ?? style, licence);
    }

    /// <summary>A file <see cref="OnnxExport"/> wrote: its initializers are the state dict under the same names.</summary>
    private static Weights? OwnExport(OnnxModel model, string path)
    {
        if (ModelInfo.FromMetadata(model.Metadata, path) is not { } info) return null;
        var tensors = model.Graph.Initializers
            .Where(t => t.Type == OnnxDataType.Float && !t.Name.StartsWith("const_", StringComparison.Ordinal))
            .ToDictionary(t => t.Name, t => new HostTensor(t.Dims, t.Floats!));
        return new Weights(info, tensors, path);
    }
}
