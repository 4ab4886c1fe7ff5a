using System.Runtime.InteropServices;
using Google.Protobuf;
using LiveStyle.Models.Formats;

namespace LiveStyle.Models.Onnx;

/// <summary>
/// Encodes and decodes <see cref="OnnxModel"/> in protobuf's wire format with Google.Protobuf's coded streams
/// (the field numbers of onnx/onnx.proto). Decoding skips every field it does not know and checks each
/// initializer's size against its shape and <see cref="ModelLimits"/> before allocating it.
/// </summary>
public static class OnnxWire
{
    private const WireFormat.WireType Varint = WireFormat.WireType.Varint, Delimited = WireFormat.WireType.LengthDelimited, Fixed32 = WireFormat.WireType.Fixed32;

    public static byte[] Encode(OnnxModel model) => Message(o =>
    {
        Int(o, 1, model.IrVersion);
        Text(o, 2, model.ProducerName);
        Text(o, 3, model.ProducerVersion);
        Text(o, 6, model.DocString);
        Nested(o, 7, Graph(model.Graph));
        foreach (var (domain, version) in model.Opsets)
            Nested(o, 8, Message(s => { Text(s, 1, domain); Int(s, 2, version); }));
        foreach (var (key, value) in model.Metadata)
            Nested(o, 14, Message(s => { Text(s, 1, key); Text(s, 2, value); }));
    });

    private static byte[] Graph(OnnxGraph graph) => Message(o =>
    {
        foreach (var node in graph.Nodes) Nested(o, 1, Node(node));
        Text(o, 2, graph.Name);
        foreach (var tensor in graph.Initializers) Nested(o, 5, Tensor(tensor));
        foreach (var input in graph.Inputs) Nested(o, 11, ValueInfo(input));
        foreach (var output in graph.Outputs) Nested(o, 12, ValueInfo(output));
    });

    private static byte[] Node(OnnxNode node) => Message(o =>
    {
        foreach (var input in node.Inputs) { o.WriteTag(1, Delimited); o.WriteString(input); }
        foreach (var output in node.Outputs) { o.WriteTag(2, Delimited); o.WriteString(output); }
        Text(o, 3, node.Name);
        Text(o, 4, node.OpType);
        foreach (var a in node.Attributes) Nested(o, 5, Attribute(a));
        Text(o, 7, node.Domain);
    });

    private static byte[] Attribute(OnnxAttribute a) => Message(o =>
    {
        Text(o, 1, a.Name);
        switch (a.Type)
        {
            case OnnxAttributeType.Float: o.WriteTag(2, Fixed32); o.WriteFloat(a.F); break;
            case OnnxAttributeType.Int: o.WriteTag(3, Varint); o.WriteInt64(a.I); break;
            case OnnxAttributeType.String: o.WriteTag(4, Delimited); o.WriteBytes(ByteString.CopyFromUtf8(a.S)); break;
            case OnnxAttributeType.Floats: foreach (var f in a.Floats!) { o.WriteTag(7, Fixed32); o.WriteFloat(f); } break;
            case OnnxAttributeType.Ints: foreach (var i in a.Ints!) { o.WriteTag(8, Varint); o.WriteInt64(i); } break;
        }
        o.WriteTag(20, Varint);
        o.WriteInt32((int)a.Type);
    });

    private static byte[] Tensor(OnnxTensor t) => Message(o =>
    {
        foreach (var d in t.Dims) { o.WriteTag(1, Varint); o.WriteInt64(d); }
        o.WriteTag(2, Varint);
        o.WriteInt32((int)t.Type);
        Text(o, 8, t.Name);
        byte[] raw = t.Type switch
        {
            OnnxDataType.Float => MemoryMarshal.AsBytes(t.Floats.AsSpan()).ToArray(),
            OnnxDataType.Int64 => MemoryMarshal.AsBytes(t.Int64s.AsSpan()).ToArray(),
            _ => throw new NotSupportedException($"writing {t.Type} initializers"),
        };
        o.WriteTag(9, Delimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(raw));
    });

    private static byte[] ValueInfo(OnnxValueInfo v) => Message(o =>
    {
        Text(o, 1, v.Name);
        var shape = Message(s =>
        {
            for (var i = 0; i < v.Dims.Length; i++)
                Nested(s, 1, Message(d =>
                {
                    if (v.Dims[i] is { } value) { d.WriteTag(1, Varint); d.WriteInt64(value); }
                    else Text(d, 2, v.DimNames[i] ?? $"d{i}");
                }));
        });
        var tensorType = Message(s => { s.WriteTag(1, Varint); s.WriteInt32(v.ElementType); Nested(s, 2, shape); });
        Nested(o, 2, Message(s => Nested(s, 1, tensorType)));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
            output.Flush();
        }
        return buffer.ToArray();
    }

    private static void Nested(CodedOutputStream o, int field, byte[] message)
    {
        o.WriteTag(field, Delimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
    }

    private static void Text(CodedOutputStream o, int field, string text)
    {
        if (text.Length == 0) return;
        o.WriteTag(field, Delimited);
        o.WriteString(text);
    }

    private static void Int(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, Varint);
        o.WriteInt64(value);
    }

    /// <summary>
    /// What one file may make the decoder build, checked as it goes: a real network has hundreds of nodes, not millions,
    /// and a few values per repeated field; a file of empty nodes or endless packed values is refused long before its
    /// objects outweigh the file many times over.
    /// </summary>
    public const int MaxNodes = 200_000, MaxRank = 64, MaxRepeated = 1 << 20, MaxGraphDepth = 8;

    /// <summary>Tensor values stored one by one (not as raw bytes, as every writer stores large tensors) are at most this many.</summary>
    public const int MaxPlainValues = 16 << 20;

    /// <summary>Reads a whole ONNX model; anything malformed is a <see cref="ModelFormatException"/> naming <paramref name="path"/>.</summary>
    public static OnnxModel Decode(byte[] bytes, string path)
    {
        _nodes = 0;
        try { return ReadModel(new CodedInputStream(bytes), path); }
        catch (InvalidProtocolBufferException e) { throw new ModelFormatException($"{path}: not a readable ONNX file ({e.Message})", e); }
        catch (InvalidOperationException e) { throw new ModelFormatException($"{path}: not a readable ONNX file ({e.Message})", e); }
    }

    private static OnnxModel ReadModel(CodedInputStream input, string path)
    {
        OnnxGraph? graph = null;
        var opsets = new List<(string, long)>();
        var metadata = new Dictionary<string, string>();
        long ir = 0;
        string producer = "", producerVersion = "", doc = "";
        Fields(input, (field, s) =>
        {
            switch (field)
            {
                case 1: ir = s.ReadInt64(); break;
                case 2: producer = s.ReadString(); break;
                case 3: producerVersion = s.ReadString(); break;
                case 6: doc = s.ReadString(); break;
                case 7: graph = ReadGraph(Sub(s), path); break;
                case 8:
                    string domain = ""; long version = 0;
                    Fields(Sub(s), (f, o) => { if (f == 1) domain = o.ReadString(); else if (f == 2) version = o.ReadInt64(); else o.SkipLastField(); });
                    opsets.Add((domain, version));
                    break;
                case 25: // functions: their nodes' attributes may hold tensors too
                    Fields(Sub(s), (f, function) =>
                    {
                        if (f == 7) Fields(Sub(function), (g, node) => { if (g == 5) ReadAttribute(Sub(node), path, 1); else node.SkipLastField(); });
                        else if (f == 11) ReadAttribute(Sub(function), path, 1);
                        else function.SkipLastField();
                    });
                    break;
                case 14:
                    string key = "", value = "";
                    Fields(Sub(s), (f, o) => { if (f == 1) key = o.ReadString(); else if (f == 2) value = o.ReadString(); else o.SkipLastField(); });
                    metadata[key] = value;
                    break;
                default: s.SkipLastField(); break;
            }
        });
        if (graph == null) throw new ModelFormatException($"{path}: an ONNX file without a graph");
        return new OnnxModel(graph, opsets, metadata) { IrVersion = ir, ProducerName = producer, ProducerVersion = producerVersion, DocString = doc };
    }

    private static OnnxGraph ReadGraph(CodedInputStream input, string path)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        var name = "";
        Fields(input, (field, s) =>
        {
            switch (field)
            {
                case 1:
                    if (++_nodes > MaxNodes) throw new ModelFormatException($"{path} has more than {MaxNodes:N0} nodes; no style network has that many");
                    nodes.Add(ReadNode(Sub(s), path));
                    break;
                case 2: name = s.ReadString(); break;
                case 5: initializers.Add(ReadTensor(Sub(s), path)); break;
                case 15: ScanSparse(Sub(s), path); break;
                case 11: inputs.Add(ReadValueInfo(Sub(s))); break;
                case 12: outputs.Add(ReadValueInfo(Sub(s))); break;
                default: s.SkipLastField(); break;
            }
        });
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(CodedInputStream input, string path)
    {
        var (inputs, outputs, attributes) = (new List<string>(), new List<string>(), new List<OnnxAttribute>());
        string op = "", name = "", domain = "";
        Fields(input, (field, s) =>
        {
            switch (field)
            {
                case 1: Bounded(inputs, path, "a node's inputs").Add(s.ReadString()); break;
                case 2: Bounded(outputs, path, "a node's outputs").Add(s.ReadString()); break;
                case 3: name = s.ReadString(); break;
                case 4: op = s.ReadString(); break;
                case 5: Bounded(attributes, path, "a node's attributes").Add(ReadAttribute(Sub(s), path, 0)); break;
                case 7: domain = s.ReadString(); break;
                default: s.SkipLastField(); break;
            }
        });
        return new OnnxNode(op, inputs, outputs, attributes, name, domain);
    }

    private static OnnxAttribute ReadAttribute(CodedInputStream input, string path, int depth)
    {
        string name = "", text = "";
        float f = 0; long i = 0;
        var (floats, ints) = (new List<float>(), new List<long>());
        var type = 0;
        Fields(input, (field, s) =>
        {
            switch (field)
            {
                case 1: name = s.ReadString(); break;
                case 2: f = s.ReadFloat(); break;
                case 3: i = s.ReadInt64(); break;
                case 4: text = s.ReadBytes().ToStringUtf8(); break;
                case 7: Repeated(s, floats, o => o.ReadFloat(), MaxRepeated, path, "an attribute's floats"); break;
                case 8: Repeated(s, ints, o => o.ReadInt64(), MaxRepeated, path, "an attribute's integers"); break;
                case 20: type = s.ReadInt32(); break;
                // Tensors and graphs inside attributes are not kept, but ONNX Runtime would load them: they are read for what they refer to.
                case 5 or 10: ScanTensor(Sub(s), path); break;
                case 6 or 11: ScanGraph(Sub(s), path, depth + 1); break;
                case 22 or 23: ScanSparse(Sub(s), path); break;
                default: s.SkipLastField(); break;
            }
        });
        return new OnnxAttribute(name, (OnnxAttributeType)type, f, i, text, floats.ToArray(), ints.ToArray());
    }

    private static OnnxTensor ReadTensor(CodedInputStream input, string path)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        var longs = new List<long>();
        ByteString? raw = null;
        var (type, name) = (0, "");
        Fields(input, (field, s) =>
        {
            switch (field)
            {
                case 1: Repeated(s, dims, o => o.ReadInt64(), MaxRank, path, "a tensor's dimensions"); break;
                case 2: type = s.ReadInt32(); break;
                case 4: Repeated(s, floats, o => o.ReadFloat(), MaxPlainValues, path, "a tensor's floats"); break;
                case 7: Repeated(s, longs, o => o.ReadInt64(), MaxPlainValues, path, "a tensor's integers"); break;
                case 8: name = s.ReadString(); break;
                case 9: raw = s.ReadBytes(); break;
                case 13 or 14: throw External(path, name);
                default: s.SkipLastField(); break;
            }
        });
        var count = ModelLimits.CheckElements(dims, $"{path}: initializer {name}");
        var what = $"{path}: initializer {name}";
        return (OnnxDataType)type switch
        {
            OnnxDataType.Float => new OnnxTensor(name, dims.ToArray(), OnnxDataType.Float,
                Floats: raw != null ? Raw<float>(raw, count, what) : Exact(floats, count, what)),
            OnnxDataType.Float16 => new OnnxTensor(name, dims.ToArray(), OnnxDataType.Float16, Floats: Halves(raw, count, what)),
            OnnxDataType.Int64 => new OnnxTensor(name, dims.ToArray(), OnnxDataType.Int64,
                Int64s: raw != null ? Raw<long>(raw, count, what) : Exact(longs, count, what)),
            // Other element types are carried by name only: ONNX Runtime reads the file itself.
            _ => new OnnxTensor(name, dims.ToArray(), (OnnxDataType)type),
        };
    }

    private static T[] Raw<T>(ByteString raw, long count, string what) where T : unmanaged
    {
        if (raw.Length != count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
            throw new ModelFormatException($"{what} holds {raw.Length:N0} bytes, not the {count:N0} values its shape says");
        return MemoryMarshal.Cast<byte, T>(raw.Span).ToArray();
    }

    private static T[] Exact<T>(List<T> values, long count, string what) =>
        values.Count == count ? values.ToArray() : throw new ModelFormatException($"{what} holds {values.Count:N0} values, not the {count:N0} its shape says");

    private static float[] Halves(ByteString? raw, long count, string what)
    {
        if (raw == null) throw new ModelFormatException($"{what}: float16 data outside raw_data is not supported");
        var bits = Raw<ushort>(raw, count, what);
        var result = new float[bits.Length];
        for (var i = 0; i < bits.Length; i++) result[i] = (float)BitConverter.UInt16BitsToHalf(bits[i]);
        return result;
    }

    private static OnnxValueInfo ReadValueInfo(CodedInputStream input)
    {
        var name = "";
        var elementType = 0;
        var (dims, names) = (new List<long?>(), new List<string?>());
        Fields(input, (field, s) =>
        {
            if (field == 1) name = s.ReadString();
            else if (field == 2)
                Fields(Sub(s), (f, type) =>
                {
                    if (f != 1) { type.SkipLastField(); return; }
                    Fields(Sub(type), (g, tensor) =>
                    {
                        if (g == 1) elementType = tensor.ReadInt32();
                        else if (g == 2)
                            Fields(Sub(tensor), (h, shape) =>
                            {
                                if (h != 1) { shape.SkipLastField(); return; }
                                long? value = null; string? param = null;
                                Fields(Sub(shape), (k, dim) =>
                                {
                                    if (k == 1) value = dim.ReadInt64();
                                    else if (k == 2) param = dim.ReadString();
                                    else dim.SkipLastField();
                                });
                                dims.Add(value);
                                names.Add(param);
                            });
                        else tensor.SkipLastField();
                    });
                });
            else s.SkipLastField();
        });
        return new OnnxValueInfo(name, elementType, dims.ToArray(), names.ToArray());
    }

    private static ModelFormatException External(string path, string name) =>
        new($"{path}: tensor {ModelInfo.Sanitize(name)} keeps its data in an external file; LiveStyle reads self-contained ONNX files only");

    /// <summary>A TensorProto not kept (inside an attribute or a subgraph): refused if its data is external, otherwise skipped.</summary>
    private static void ScanTensor(CodedInputStream input, string path)
    {
        var name = "";
        Fields(input, (field, s) =>
        {
            if (field == 8) name = s.ReadString();
            else if (field is 13 or 14) throw External(path, name);
            else s.SkipLastField();
        });
    }

    /// <summary>A SparseTensorProto: its values (1) and indices (2) are tensors.</summary>
    private static void ScanSparse(CodedInputStream input, string path) =>
        Fields(input, (field, s) => { if (field is 1 or 2) ScanTensor(Sub(s), path); else s.SkipLastField(); });

    /// <summary>A subgraph (an If or Loop body): its nodes, initializers and sparse initializers, as deep as <see cref="MaxGraphDepth"/>.</summary>
    private static void ScanGraph(CodedInputStream input, string path, int depth)
    {
        if (depth > MaxGraphDepth) throw new ModelFormatException($"{path} nests graphs more than {MaxGraphDepth} deep");
        Fields(input, (field, s) =>
        {
            switch (field)
            {
                case 1:
                    if (++_nodes > MaxNodes) throw new ModelFormatException($"{path} has more than {MaxNodes:N0} nodes; no style network has that many");
                    Fields(Sub(s), (f, node) => { if (f == 5) ReadAttribute(Sub(node), path, depth); else node.SkipLastField(); });
                    break;
                case 5: ScanTensor(Sub(s), path); break;
                case 15: ScanSparse(Sub(s), path); break;
                default: s.SkipLastField(); break;
            }
        });
    }

    private static List<T> Bounded<T>(List<T> list, string path, string what) =>
        list.Count < MaxRepeated ? list : throw new ModelFormatException($"{path}: {what} run past {MaxRepeated:N0} entries");

    // Nodes decoded so far in this file (graph and subgraphs), against MaxNodes.
    [ThreadStatic] private static int _nodes;

    // The tag being handled, for Repeated: Google.Protobuf keeps its own copy internal.
    [ThreadStatic] private static uint _tag;

    private static void Fields(CodedInputStream input, Action<int, CodedInputStream> field)
    {
        while ((_tag = input.ReadTag()) != 0) field(WireFormat.GetTagFieldNumber(_tag), input);
    }

    private static CodedInputStream Sub(CodedInputStream input) => new(input.ReadBytes().ToByteArray());

    /// <summary>A repeated scalar, packed (one length-delimited run) or not (one value per tag), at most <paramref name="max"/> of them.</summary>
    private static void Repeated<T>(CodedInputStream input, List<T> into, Func<CodedInputStream, T> read, long max, string path, string what)
    {
        if (WireFormat.GetTagWireType(_tag) != Delimited)
        {
            if (into.Count >= max) throw TooMany(path, what, max);
            into.Add(read(input));
            return;
        }
        var packed = Sub(input);
        while (!packed.IsAtEnd)
        {
            if (into.Count >= max) throw TooMany(path, what, max);
            into.Add(read(packed));
        }
    }

    private static ModelFormatException TooMany(string path, string what, long max) =>
        new($"{path}: {what} run past {max:N0} entries (more {(what.Contains("dimension") ? "dimensions" : "values")} than a model has)");
}
