using LiveStyle.Models.Formats;
using LiveStyle.Models.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LiveStyle.Models.Onnx;

/// <summary>
/// An image-to-image ONNX model in an ONNX Runtime session (CPU): one float [N, 3, H, W] input, one float
/// [N, 3, H', W'] output. Height and width may be dynamic (LiveStyle's own graphs) or fixed (a foreign
/// model, whose frames <see cref="OnnxFrameBinding"/> resizes). Every ONNX Runtime failure becomes a
/// <see cref="ModelFormatException"/> (loading) or an <see cref="InferenceException"/> (running).
/// </summary>
public sealed class OnnxNetwork : IDisposable
{
    private readonly InferenceSession _session;

    private OnnxNetwork(InferenceSession session, int fusedRuns, string input, string output, long? height, long? width, long? outputHeight, long? outputWidth)
    {
        _session = session;
        FusedRuns = fusedRuns;
        InputName = input;
        OutputName = output;
        (FixedHeight, FixedWidth, FixedOutputHeight, FixedOutputWidth) = (height, width, outputHeight, outputWidth);
    }

    public string InputName { get; }
    public string OutputName { get; }

    /// <summary>The input's height and width when the model fixes them (null: any size).</summary>
    public long? FixedHeight { get; }
    public long? FixedWidth { get; }
    public long? FixedOutputHeight { get; }
    public long? FixedOutputWidth { get; }

    public bool IsFixedSize => FixedHeight != null || FixedWidth != null;

    /// <summary>How many norm-and-pad runs the session computes with LiveStyle's blocked operator (0: ONNX Runtime's graph as it optimised it).</summary>
    internal int FusedRuns { get; }

    internal InferenceSession Session => _session;

    /// <param name="blockedNorms">Run the norm-and-pad steps between convolutions as one LiveStyle operator in ONNX Runtime's blocked layout (<see cref="BlockedGraph"/>).</param>
    public static OnnxNetwork Create(byte[] model, int threads, string what, bool blockedNorms = false)
    {
        var (session, fusedRuns) = NewSession(model, threads, what, blockedNorms);
        try
        {
            var input = ImageValue(session.InputMetadata, "input", what);
            var output = ImageValue(session.OutputMetadata, "output", what);
            return new OnnxNetwork(session, fusedRuns, input.Name, output.Name, Fixed(input.Dims[2]), Fixed(input.Dims[3]), Fixed(output.Dims[2]), Fixed(output.Dims[3]));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A CPU session as every LiveStyle network runs: sequential, fully optimised, quiet, workers that sleep when idle.</summary>
    internal static InferenceSession NewSession(byte[] model, int threads, string what) => NewSession(model, threads, what, blockedNorms: false).Session;

    private static (InferenceSession Session, int FusedRuns) NewSession(byte[] model, int threads, string what, bool blockedNorms)
    {
        try
        {
            if (blockedNorms && FusedSession(model, threads, what) is { } fused) return fused;
            using var options = Options(threads, GraphOptimizationLevel.ORT_ENABLE_ALL);
            return (new InferenceSession(model, options), 0);
        }
        catch (OnnxRuntimeException e) { throw new ModelFormatException($"{what}: ONNX Runtime cannot load it ({FirstLine(e.Message)})", e); }
    }

    /// <summary>
    /// A session over the graph with its norm-and-pad runs fused, or null where there is none to fuse or fusing fails (a
    /// temporary folder it cannot write, a runtime without the blocked layout): the plain session computes the same.
    /// </summary>
    private static (InferenceSession Session, int FusedRuns)? FusedSession(byte[] model, int threads, string what)
    {
        try
        {
            if (BlockedGraph.Of(model, () => Options(threads, GraphOptimizationLevel.ORT_ENABLE_ALL), what) is not { } fused) return null;
            // Already optimised: the runtime's passes would only look again at nodes they made.
            using var options = Options(threads, GraphOptimizationLevel.ORT_DISABLE_ALL);
            BlockedNormOperator.AddTo(options);
            return (new InferenceSession(fused.Graph, options), fused.Runs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxRuntimeException or ModelFormatException or OrtCallException)
        {
            return null;
        }
    }

    private static SessionOptions Options(int threads, GraphOptimizationLevel level)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = level,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        // Idle worker threads sleep instead of spinning: in live and convert the network shares the cores
        // with capture, decoding, encoding and the window, which a spinning pool would starve.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static long? Fixed(int dim) => dim > 0 ? dim : null;

    private static (string Name, int[] Dims) ImageValue(IReadOnlyDictionary<string, NodeMetadata> values, string kind, string what)
    {
        if (values.Count != 1)
            throw new ModelFormatException($"{what} has {values.Count} {kind}s ({string.Join(", ", values.Keys.Select(ModelInfo.Sanitize))}); a style model has one image {kind}");
        var (name, meta) = values.First();
        var dims = meta.IsTensor ? meta.Dimensions : [];
        if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float || dims.Length != 4 || (dims[1] > 0 && dims[1] != 3))
            throw new ModelFormatException($"{what}: its {kind} {ModelInfo.Sanitize(name)} is not a float [N, 3, H, W] image ({meta.ElementDataType}, [{string.Join(", ", dims)}])");
        return (name, dims);
    }

    /// <summary>Pinned buffers and a bound session for frames of one size.</summary>
    public OnnxFrameBinding Bind(int width, int height)
    {
        foreach (var (w, h) in new[] { (FixedWidth ?? width, FixedHeight ?? height), (FixedOutputWidth ?? FixedWidth ?? width, FixedOutputHeight ?? FixedHeight ?? height) })
            if (w > int.MaxValue || h > int.MaxValue || 3 * w * h > Array.MaxLength)
                throw new InferenceException($"the model works at {w}x{h} pixels, over the limit of what one frame buffer can hold");
        return new OnnxFrameBinding(this, width, height);
    }

    internal static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return ModelInfo.Sanitize(line.Length > 240 ? line[..240] + "…" : line);
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>A failure while a network runs (as opposed to loading it).</summary>
public sealed class InferenceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs an <see cref="OnnxNetwork"/> on planar RGB float frames of one size with nothing allocated per call:
/// input and output live in pinned arrays wrapped once in <see cref="OrtValue"/>s and bound once.
/// A fixed-size model gets each frame resized (bilinear) to its size and its output resized back.
/// </summary>
public sealed class OnnxFrameBinding : IDisposable
{
    private readonly OnnxNetwork _network;
    private readonly int _width, _height, _runWidth, _runHeight, _outWidth, _outHeight;
    private readonly float[] _input, _output;
    private readonly OrtValue _inputValue, _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _options = new();
    private readonly CancellationTokenRegistration _interrupt;

    internal OnnxFrameBinding(OnnxNetwork network, int width, int height)
    {
        _network = network;
        (_width, _height) = (width, height);
        _runWidth = (int)(network.FixedWidth ?? width);
        _runHeight = (int)(network.FixedHeight ?? height);
        _outWidth = (int)(network.FixedOutputWidth ?? _runWidth);
        _outHeight = (int)(network.FixedOutputHeight ?? _runHeight);
        _input = GC.AllocateArray<float>(3 * _runWidth * _runHeight, pinned: true);
        _output = GC.AllocateArray<float>(3 * _outWidth * _outHeight, pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, 3, _runHeight, _runWidth]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, 3, _outHeight, _outWidth]);
        _binding = network.Session.CreateIoBinding();
        _binding.BindInput(network.InputName, _inputValue);
        _binding.BindOutput(network.OutputName, _outputValue);
        _interrupt = Inference.InferenceInterrupt.Token.Register(static o => ((RunOptions)o!).Terminate = true, _options);
    }

    /// <summary>Planar RGB [3, H, W] in, the same shape out.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_runWidth == _width && _runHeight == _height) input.CopyTo(_input);
        else PlanarResize.Bilinear(input, _width, _height, _input, _runWidth, _runHeight);
        RunInPlace();
        if (_outWidth == _width && _outHeight == _height) _output.CopyTo(output);
        else PlanarResize.Bilinear(_output, _outWidth, _outHeight, output, _width, _height);
    }

    /// <summary>The bound input and output themselves, when the model runs at the frames' own size (nothing to resize): write a frame into the first, <see cref="RunInPlace"/>, read the second.</summary>
    public (float[] Input, float[] Output)? InPlace =>
        _runWidth == _width && _runHeight == _height && _outWidth == _width && _outHeight == _height ? (_input, _output) : null;

    /// <summary>Runs the session on the bound input into the bound output.</summary>
    public void RunInPlace()
    {
        try { _network.Session.RunWithBinding(_options, _binding); }
        catch (OnnxRuntimeException e) when (Inference.InferenceInterrupt.Token.IsCancellationRequested) { throw new OperationCanceledException("interrupted inside ONNX Runtime", e); }
        catch (OnnxRuntimeException e) { throw new InferenceException($"the model failed inside ONNX Runtime ({OnnxNetwork.FirstLine(e.Message)})", e); }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _options.Dispose();
    }
}
