namespace LiveStyle.Models.Formats.Tflite;

/// <summary>
/// The dataflow of a <see cref="TfliteModel"/> as the float network it quantizes: QUANTIZE and DEQUANTIZE
/// only change how a value is stored, so <see cref="Source"/> looks through them to the value itself.
/// </summary>
public sealed class TfliteGraph
{
    private readonly TfliteOperator?[] _producers;
    private readonly int[] _sources;
    private readonly List<TfliteOperator>[] _readers;

    public TfliteGraph(TfliteModel model)
    {
        Model = model;
        var count = model.Tensors.Count;
        _producers = new TfliteOperator?[count];
        _sources = Enumerable.Range(0, count).ToArray();
        _readers = new List<TfliteOperator>[count];
        // Operators come in execution order, so a copy's input has its source before the copy is seen.
        foreach (var op in model.Operators)
        {
            foreach (var o in op.Outputs)
            {
                if (_producers[o] != null) throw Unknown($"tensor {model.Tensors[o].Name} is written by two operators");
                _producers[o] = op;
                if (op is { Op: TfliteOp.Quantize or TfliteOp.Dequantize, Inputs: [>= 0 and var i] }) _sources[o] = _sources[i];
            }
        }
        foreach (var op in model.Operators.Where(op => op.Op is not (TfliteOp.Quantize or TfliteOp.Dequantize)))
        foreach (var source in op.Inputs.Where(i => i >= 0).Select(i => _sources[i]).Distinct())
            (_readers[source] ??= []).Add(op);
    }

    public TfliteModel Model { get; }

    public TfliteOperator? Producer(int tensor) => tensor >= 0 ? _producers[tensor] : null;

    /// <summary>The value behind <paramref name="tensor"/>: followed back through QUANTIZE and DEQUANTIZE.</summary>
    public int Source(int tensor) => tensor >= 0 ? _sources[tensor] : -1;

    /// <summary>The operator making the value behind <paramref name="tensor"/>.</summary>
    public TfliteOperator? SourceProducer(int tensor) => Producer(Source(tensor));

    /// <summary>Operators reading the value behind <paramref name="tensor"/>, through any stored copy of it.</summary>
    public IReadOnlyList<TfliteOperator> Readers(int tensor) => tensor >= 0 ? _readers[Source(tensor)] ?? [] : [];

    /// <summary>The index of the operator's input <paramref name="slot"/>, which must exist.</summary>
    public int In(TfliteOperator op, int slot) =>
        slot < op.Inputs.Length && op.Inputs[slot] >= 0 ? op.Inputs[slot] : throw Unknown($"{op.Describe(Model)} has no input {slot}");

    public TfliteTensor Input(TfliteOperator op, int slot) => Model.Tensors[In(op, slot)];

    public int Output(TfliteOperator op) => op.Outputs.Length == 1 ? op.Outputs[0] : throw Unknown($"{op.Describe(Model)} has {op.Outputs.Length} outputs");

    public ModelFormatException Unknown(string why) =>
        new($"{Model.Path} is not a TensorFlow Lite network LiveStyle knows ({why}); it reads Magenta's arbitrary-style predictor and transformer");
}
