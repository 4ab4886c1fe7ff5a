namespace LiveStyle.Models.Formats.Tflite;

/// <summary>TensorFlow Lite's element types (schema.fbs TensorType) that LiveStyle reads.</summary>
public enum TfliteType : sbyte { Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int64 = 4, Int16 = 7, Int8 = 9 }

/// <summary>The builtin operators the Magenta layouts use (schema.fbs BuiltinOperator); anything else is kept as its number.</summary>
public enum TfliteOp
{
    Add = 0, Conv2D = 3, DepthwiseConv2D = 4, Dequantize = 6, Logistic = 14, Mul = 18, Relu = 19, Relu6 = 21, Reshape = 22,
    Pad = 34, Mean = 40, Sub = 41, Squeeze = 43, Rsqrt = 76, ResizeNearestNeighbor = 97, SquaredDifference = 99, MirrorPad = 100, Quantize = 114,
}

public enum TfliteActivation : sbyte { None = 0, Relu = 1, ReluN1To1 = 2, Relu6 = 3, Tanh = 4, SignBit = 5 }

/// <summary>Per-tensor or per-channel affine quantization: real = scale · (q − zero point), along <see cref="Dimension"/>.</summary>
public sealed record TfliteQuantization(float[] Scales, long[] ZeroPoints, int Dimension);

public sealed record TfliteTensor(int Index, string Name, int[] Shape, TfliteType Type, int Buffer, TfliteQuantization? Quantization)
{
    public long Elements => Shape.Aggregate(1L, (n, d) => n * d);
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>The options of the operators LiveStyle reads; each is left at TensorFlow's default when the operator has none.</summary>
public sealed record TfliteOptions
{
    public bool ValidPadding { get; init; }
    public int StrideW { get; init; } = 1;
    public int StrideH { get; init; } = 1;
    public int DilationW { get; init; } = 1;
    public int DilationH { get; init; } = 1;
    public int DepthMultiplier { get; init; } = 1;
    public TfliteActivation Activation { get; init; }
    public bool Symmetric { get; init; }
    public bool KeepDims { get; init; }
}

public sealed record TfliteOperator(int Index, TfliteOp Op, int[] Inputs, int[] Outputs, TfliteOptions Options)
{
    public string Describe(TfliteModel model) =>
        $"operator {Index} ({Op}{(Outputs.Length > 0 && Outputs[0] >= 0 ? " → " + ModelInfo.Sanitize(model.Tensors[Outputs[0]].Name) : "")})";
}

/// <summary>
/// The main subgraph of a .tflite file: its tensors, operators in execution order, inputs and outputs, and the
/// licence its TFLite metadata states. Constant tensors' bytes are views of the file, checked for size on use.
/// </summary>
public sealed class TfliteModel
{
    internal TfliteModel(string path, byte[] bytes, IReadOnlyList<TfliteTensor> tensors, IReadOnlyList<TfliteOperator> operators,
        int[] inputs, int[] outputs, (int Start, int Count)[] buffers, string description, string licence)
    {
        Path = path;
        Bytes = bytes;
        Tensors = tensors;
        Operators = operators;
        Inputs = inputs;
        Outputs = outputs;
        Buffers = buffers;
        Description = description;
        Licence = licence;
    }

    public string Path { get; }
    internal byte[] Bytes { get; }
    public IReadOnlyList<TfliteTensor> Tensors { get; }
    public IReadOnlyList<TfliteOperator> Operators { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }
    internal (int Start, int Count)[] Buffers { get; }
    public string Description { get; }
    public string Licence { get; }

    public bool IsConstant(TfliteTensor tensor) => tensor.Buffer > 0 && Buffers[tensor.Buffer].Count > 0;

    /// <summary>A constant tensor's bytes, checked to hold exactly its shape's elements.</summary>
    public ReadOnlySpan<byte> Data(TfliteTensor tensor)
    {
        var (start, count) = Buffers[tensor.Buffer];
        var expected = tensor.Elements * TypeSize(tensor.Type);
        if (count != expected)
            throw new ModelFormatException($"{Path}: tensor {ModelInfo.Sanitize(tensor.Name)} {tensor.ShapeText} of {tensor.Type} needs {expected:N0} bytes, its buffer holds {count:N0}");
        return Bytes.AsSpan(start, count);
    }

    public static int TypeSize(TfliteType type) => type switch
    {
        TfliteType.Float32 or TfliteType.Int32 => 4,
        TfliteType.Int64 => 8,
        TfliteType.Float16 or TfliteType.Int16 => 2,
        _ => 1,
    };
}
