using Google.FlatBuffers;

namespace LiveStyle.Fuzz.Corpus;

/// <summary>
/// A valid TensorFlow Lite file (schema.fbs, "TFL3") written field by field: one CONV_2D on float32 tensors with its
/// weights in buffers, and optionally a second graph input (a style vector, as Magenta's transformer takes).
/// </summary>
public static class TfliteWriter
{
    private const sbyte Float32 = 0;
    private const int Conv2D = 3;
    private const byte Conv2DOptions = 1;

    public static byte[] OneConvolution(int inputs)
    {
        var b = new FlatBufferBuilder(1024);
        var weights = Buffer(b, Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => i / 54f).ToArray());
        var bias = Buffer(b, [0.5f, -0.5f]);
        var empty = Table(b, 0, _ => { });
        var buffers = b.CreateVectorOfTables([empty, weights, bias]);

        var tensors = new List<Offset<Table>>
        {
            Tensor(b, "image", [1, 8, 8, 3], 0), Tensor(b, "kernel", [2, 3, 3, 3], 1), Tensor(b, "bias", [2], 2), Tensor(b, "out", [1, 8, 8, 2], 0),
        };
        if (inputs == 2) tensors.Add(Tensor(b, "style", [1, 1, 1, 4], 0));
        var tensorVector = b.CreateVectorOfTables(tensors.ToArray());
        var options = Table(b, 3, t => { t.AddSbyte(0, 0); t.AddInt(1, 1); t.AddInt(2, 1); });
        var opInputs = Ints(b, [0, 1, 2]);
        var opOutputs = Ints(b, [3]);
        var op = Table(b, 6, t => { t.AddUint(0, 0); t.AddOffset(1, opInputs.Value); t.AddOffset(2, opOutputs.Value); t.AddByte(3, Conv2DOptions); t.AddOffset(4, options.Value); });
        var operators = b.CreateVectorOfTables([op]);
        var graphInputs = Ints(b, inputs == 2 ? [0, 4] : [0]);
        var graphOutputs = Ints(b, [3]);
        var name = b.CreateString("main");
        var graph = Table(b, 5, t => { t.AddOffset(0, tensorVector.Value); t.AddOffset(1, graphInputs.Value); t.AddOffset(2, graphOutputs.Value); t.AddOffset(3, operators.Value); t.AddOffset(4, name.Value); });
        var graphs = b.CreateVectorOfTables([graph]);
        var code = Table(b, 4, t => { t.AddSbyte(0, Conv2D); t.AddInt(2, 1); t.AddInt(3, Conv2D); });
        var codes = b.CreateVectorOfTables([code]);
        var description = b.CreateString("livestyle-fuzz seed");
        var model = Table(b, 5, t => { t.AddUint(0, 3); t.AddOffset(1, codes.Value); t.AddOffset(2, graphs.Value); t.AddOffset(3, description.Value); t.AddOffset(4, buffers.Value); });
        b.Finish(model.Value, "TFL3");
        return b.SizedByteArray();
    }

    private static Offset<Table> Tensor(FlatBufferBuilder b, string name, int[] shape, uint buffer)
    {
        var dims = Ints(b, shape);
        var text = b.CreateString(name);
        return Table(b, 4, t => { t.AddOffset(0, dims.Value); t.AddSbyte(1, Float32); t.AddUint(2, buffer); t.AddOffset(3, text.Value); });
    }

    private static Offset<Table> Buffer(FlatBufferBuilder b, float[] values)
    {
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        b.StartVector(1, bytes.Length, 16);
        for (var i = bytes.Length - 1; i >= 0; i--) b.PutByte(bytes[i]);
        var data = b.EndVector();
        return Table(b, 1, t => t.AddOffset(0, data.Value));
    }

    private static VectorOffset Ints(FlatBufferBuilder b, int[] values)
    {
        b.StartVector(4, values.Length, 4);
        for (var i = values.Length - 1; i >= 0; i--) b.PutInt(values[i]);
        return b.EndVector();
    }

    private static Offset<Table> Table(FlatBufferBuilder b, int fields, Action<Fields> add)
    {
        b.StartTable(fields);
        add(new Fields(b));
        return new Offset<Table>(b.EndTable());
    }

    /// <summary>Field slots by their schema index, with no defaults elided (the fuzzer gets every field to bend).</summary>
    private readonly struct Fields(FlatBufferBuilder b)
    {
        public void AddSbyte(int slot, sbyte v) { b.ForceDefaults = true; b.AddSbyte(slot, v, 0); }
        public void AddByte(int slot, byte v) { b.ForceDefaults = true; b.AddByte(slot, v, 0); }
        public void AddInt(int slot, int v) { b.ForceDefaults = true; b.AddInt(slot, v, 0); }
        public void AddUint(int slot, uint v) { b.ForceDefaults = true; b.AddUint(slot, v, 0); }
        public void AddOffset(int slot, int offset) => b.AddOffset(slot, offset, 0);
    }
}
