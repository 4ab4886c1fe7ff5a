namespace LiveStyle.Models.Onnx;

/// <summary>
/// The part of ONNX's protobuf schema (onnx/onnx.proto) LiveStyle reads and writes: a model with its
/// metadata and opsets, one graph of nodes, float32/float16/int64 initializers and typed inputs/outputs.
/// Field numbers are the schema's; <see cref="OnnxWire"/> encodes and decodes them.
/// </summary>
public sealed record OnnxModel(OnnxGraph Graph, IReadOnlyList<(string Domain, long Version)> Opsets, IReadOnlyDictionary<string, string> Metadata)
{
    public long IrVersion { get; init; } = 8;
    public string ProducerName { get; init; } = "";
    public string ProducerVersion { get; init; } = "";
    public string DocString { get; init; } = "";
}

public sealed record OnnxGraph(string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs);

public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes, string Name = "", string Domain = "")
{
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}

public enum OnnxAttributeType { Float = 1, Int = 2, String = 3, Floats = 6, Ints = 7 }

public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, float F = 0, long I = 0, string S = "", float[]? Floats = null, long[]? Ints = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, OnnxAttributeType.Int, I: value);
    public static OnnxAttribute Of(string name, float value) => new(name, OnnxAttributeType.Float, F: value);
    public static OnnxAttribute Of(string name, string value) => new(name, OnnxAttributeType.String, S: value);
    public static OnnxAttribute Of(string name, params long[] values) => new(name, OnnxAttributeType.Ints, Ints: values);
}

/// <summary>ONNX TensorProto element types LiveStyle handles.</summary>
public enum OnnxDataType { Float = 1, Int64 = 7, Float16 = 10 }

/// <summary>An initializer: float data for Float and Float16 (widened on reading), Int64s for Int64.</summary>
public sealed record OnnxTensor(string Name, long[] Dims, OnnxDataType Type, float[]? Floats = null, long[]? Int64s = null);

/// <summary>A graph input or output: element type and dimensions, null for a named (dynamic) one.</summary>
public sealed record OnnxValueInfo(string Name, int ElementType, long?[] Dims, string?[] DimNames);
