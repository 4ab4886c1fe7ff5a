namespace LiveStyle.Models.Formats.Tflite;

/// <summary>
/// Reads a TensorFlow Lite flatbuffer (tensorflow/lite/schema/schema.fbs, identifier "TFL3") into a
/// <see cref="TfliteModel"/>. Counts, ranks, shapes and quantization arrays are bounded and checked against
/// each other before anything of their size is made (docs/LIMITS.md); the buffers stay views of the file.
/// </summary>
public static class TfliteFile
{
    public const string Extension = ".tflite";

    /// <summary>A .tflite for the networks LiveStyle reads is a few megabytes; this bounds what the reader holds at once.</summary>
    public const long MaxFileBytes = 64L << 20;

    private const int MaxEntries = 16_384, MaxRank = 8, MaxNameLength = 256;

    public static bool IsTflitePath(string path) => System.IO.Path.GetExtension(path).Equals(Extension, StringComparison.OrdinalIgnoreCase);

    public static TfliteModel Read(string path)
    {
        ModelLimits.CheckFile(path);
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes) throw new ModelFormatException($"{path} is {length:N0} bytes; a TensorFlow Lite style network is at most {MaxFileBytes:N0}");
        return Parse(ModelLimits.ReadFile(path, "a TensorFlow Lite file"), path);
    }

    public static TfliteModel Parse(byte[] bytes, string path)
    {
        var reader = new FlatBufferReader(bytes, path);
        var model = reader.Root("TFL3");
        var version = model.UInt32(0);
        if (version != 3) throw reader.Bad($"is TensorFlow Lite schema version {version}; LiveStyle reads version 3");

        var codes = model.Tables(1, 1024, "operator_codes").Select(c => Math.Max((int)c.Int8(0), c.Int32(3))).ToArray();
        var buffers = model.Tables(4, MaxEntries, "buffers").Select((b, i) => Buffer(b, i, reader)).ToArray();
        if (buffers.Length == 0) throw reader.Bad("has no buffers (the first, empty one is required)");
        var subgraphs = model.Tables(2, 64, "subgraphs");
        if (subgraphs.Length == 0) throw reader.Bad("has no subgraph");
        var graph = subgraphs[0];

        var tensors = graph.Tables(0, MaxEntries, "tensors").Select((t, i) => Tensor(t, i, buffers.Length, reader)).ToArray();
        int[] Indices(FlatTable table, int field, string what, bool optional)
        {
            var indices = table.Int32s(field, MaxEntries, what);
            foreach (var i in indices)
                if ((i < 0 && !(optional && i == -1)) || i >= tensors.Length)
                    throw reader.Bad($"{table.Name}.{what} names tensor {i}, but the graph has {tensors.Length}");
            return indices;
        }

        var inputs = Indices(graph, 1, "inputs", false);
        var outputs = Indices(graph, 2, "outputs", false);
        var operators = graph.Tables(3, MaxEntries, "operators").Select((op, i) =>
        {
            var code = op.UInt32(0);
            if (code >= codes.Length) throw reader.Bad($"operator {i} uses operator code {code}, but the file lists {codes.Length}");
            var kind = (TfliteOp)codes[code];
            return new TfliteOperator(i, kind, Indices(op, 1, "inputs", true), Indices(op, 2, "outputs", false), Options(op, kind, reader));
        }).ToArray();

        var licence = "";
        foreach (var entry in model.Tables(6, 1024, "metadata"))
        {
            if (entry.String(0, MaxNameLength, "name") != "TFLITE_METADATA") continue;
            var index = entry.UInt32(1);
            if (index >= buffers.Length) throw reader.Bad($"its metadata names buffer {index}, but the file has {buffers.Length}");
            licence = MetadataLicence(bytes, buffers[index], path);
        }
        return new TfliteModel(path, bytes, tensors, operators, inputs, outputs, buffers,
            ModelInfo.Sanitize(model.String(3, MaxNameLength, "description") ?? ""), licence);
    }

    private static (int Start, int Count) Buffer(FlatTable buffer, int index, FlatBufferReader reader)
    {
        if (buffer.UInt64(1) > 1 || buffer.UInt64(2) > 0)
            throw reader.Bad($"buffer {index} is stored outside the flatbuffer (a model over 2 GB); LiveStyle does not read those");
        return buffer.Bytes(0, int.MaxValue, $"buffers[{index}].data");
    }

    private static TfliteTensor Tensor(FlatTable t, int index, int buffers, FlatBufferReader reader)
    {
        var name = ModelInfo.Sanitize(t.String(3, MaxNameLength, "name") ?? $"tensor {index}");
        var shape = t.Int32s(0, MaxRank, "shape");
        ModelLimits.CheckElements(shape.Select(d => (long)d).ToArray(), $"{reader.What}: tensor {name}");
        var type = (TfliteType)t.Int8(1);
        if (!Enum.IsDefined(type)) throw reader.Bad($"tensor {name} has element type {(int)type}, which LiveStyle does not read");
        var buffer = t.UInt32(2);
        if (buffer >= buffers) throw reader.Bad($"tensor {name} names buffer {buffer}, but the file has {buffers}");
        TfliteQuantization? quantization = null;
        if (t.Table(4, "quantization") is { } q)
        {
            var scales = q.Floats(2, 1 << 16, "scale");
            var zeroPoints = q.Int64s(3, 1 << 16, "zero_point");
            var dimension = q.Int32(6);
            if (scales.Length > 0)
            {
                if (zeroPoints.Length != scales.Length)
                    throw reader.Bad($"tensor {name} has {scales.Length} quantization scales but {zeroPoints.Length} zero points");
                if (scales.Any(s => !float.IsFinite(s) || s <= 0)) throw reader.Bad($"tensor {name} has a quantization scale that is not a positive number");
                if (scales.Length > 1 && (dimension < 0 || dimension >= shape.Length || shape[dimension] != scales.Length))
                    throw reader.Bad($"tensor {name} {ShapeText(shape)} has {scales.Length} quantization scales along dimension {dimension}, which does not match its shape");
                quantization = new TfliteQuantization(scales, zeroPoints, dimension);
            }
        }
        return new TfliteTensor(index, name, shape, type, (int)buffer, quantization);
    }

    private static string ShapeText(int[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>The operator's builtin options; a table of the wrong union type for its operator is a damaged file.</summary>
    private static TfliteOptions Options(FlatTable op, TfliteOp kind, FlatBufferReader reader)
    {
        var type = op.UInt8(3);
        var expected = kind switch
        {
            TfliteOp.Conv2D => 1, TfliteOp.DepthwiseConv2D => 2, TfliteOp.Add => 11, TfliteOp.Mul => 21, TfliteOp.Sub => 28,
            TfliteOp.Mean => 27, TfliteOp.ResizeNearestNeighbor => 74, TfliteOp.MirrorPad => 77, _ => -1,
        };
        if (expected < 0 || type == 0) return new TfliteOptions();
        if (type != expected) throw reader.Bad($"operator {kind} carries options of type {type}, not {expected}");
        if (op.Table(4, "builtin_options") is not { } o) return new TfliteOptions();
        return kind switch
        {
            TfliteOp.Conv2D => new TfliteOptions
            {
                ValidPadding = o.Int8(0) == 1, StrideW = o.Int32(1), StrideH = o.Int32(2), Activation = (TfliteActivation)o.Int8(3),
                DilationW = o.Int32(4, 1), DilationH = o.Int32(5, 1),
            },
            TfliteOp.DepthwiseConv2D => new TfliteOptions
            {
                ValidPadding = o.Int8(0) == 1, StrideW = o.Int32(1), StrideH = o.Int32(2), DepthMultiplier = o.Int32(3),
                Activation = (TfliteActivation)o.Int8(4), DilationW = o.Int32(5, 1), DilationH = o.Int32(6, 1),
            },
            TfliteOp.Add or TfliteOp.Mul or TfliteOp.Sub => new TfliteOptions { Activation = (TfliteActivation)o.Int8(0) },
            TfliteOp.Mean => new TfliteOptions { KeepDims = o.Int8(0) != 0 },
            TfliteOp.MirrorPad => new TfliteOptions { Symmetric = o.Int8(0) == 1 },
            _ => new TfliteOptions(),
        };
    }

    /// <summary>The licence line of TFLite's model metadata (tflite/metadata_schema.fbs: ModelMetadata, identifier "M001", field 5).</summary>
    private static string MetadataLicence(byte[] bytes, (int Start, int Count) buffer, string path)
    {
        if (buffer.Count < 8) return "";
        var metadata = new FlatBufferReader(bytes.AsSpan(buffer.Start, buffer.Count).ToArray(), path + " (TFLite metadata)");
        return ModelInfo.Sanitize(metadata.Root("M001").String(5, MaxNameLength, "license") ?? "");
    }
}
