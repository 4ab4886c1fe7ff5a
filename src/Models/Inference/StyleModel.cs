using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>
/// A loaded style model: what it says about itself plus the engine that runs it (<see cref="IStyleEngine"/>:
/// ONNX Runtime for LiveStyle's own graphs and foreign ONNX models, libtorch for bf16, CUDA and training).
/// </summary>
public sealed class StyleModel : IDisposable
{
    public StyleModel(ModelInfo? info, string style, string source, string licence, IStyleEngine engine)
    {
        Info = info;
        Style = style;
        Source = source;
        Licence = licence;
        Engine = engine;
    }

    /// <summary>The layout and metadata of a LiveStyle network; null for a foreign ONNX model run as it is.</summary>
    public ModelInfo? Info { get; }
    public string Style { get; }
    public string Source { get; }
    public string Licence { get; }
    public IStyleEngine Engine { get; }
    public string Architecture => Info?.Config.Name ?? "onnx";
    public Device Device => Engine.Device;
    public Precision Precision => Engine.Precision;

    /// <param name="graphs">Where a network exported for ONNX Runtime is kept for the next start (none: exported each time).</param>
    public static StyleModel Load(string path, Device device, Precision precision, Engine engine = Inference.Engine.Auto, ExportedGraphs? graphs = null)
    {
        if (!OnnxModelFile.IsOnnxPath(path)) return FromWeights(WeightFiles.Load(path), device, precision, engine: engine, graphs: graphs);
        var file = OnnxModelFile.Read(path);
        if (file.Weights != null) return FromWeights(file.Weights, device, precision, engine: engine, graphs: graphs);
        if (engine.Resolve(device, precision) != Inference.Engine.Onnx)
            throw new ModelFormatException($"{path} is not a network layout LiveStyle knows, so it runs only as it is, on ONNX Runtime (--engine onnx, fp32 on the CPU)");
        return new StyleModel(null, file.Style, path, file.Licence, new OnnxEngine(file.Bytes, path));
    }

    public static StyleModel FromWeights(Weights weights, Device device, Precision precision, MemoryFormat? layout = null, Engine engine = Inference.Engine.Auto,
        ExportedGraphs? graphs = null)
    {
        var resolved = engine.Resolve(device, precision);
        precision.Validate(device);
        if (resolved == Inference.Engine.Onnx)
        {
            var info = weights.Info;
            return new StyleModel(info, info.Style, info.Source, info.Licence,
                new OnnxEngine(graphs?.Of(weights) ?? OnnxExport.ToBytes(weights), info.Source, BlockedNorms(info)));
        }
        Torch.EnsureAvailable(device);
        var net = weights.ToNetwork();
        try
        {
            return FromNetwork(net, weights.Info, device, precision, layout, resolved);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Wraps a network built in code (random weights for benchmarks, or a network being trained). On the
    /// ONNX Runtime engine the network's graph is emitted and the network itself disposed.
    /// </summary>
    public static StyleModel FromNetwork(TransformNet net, ModelInfo info, Device device, Precision precision, MemoryFormat? layout = null, Engine engine = Inference.Engine.Auto)
    {
        var resolved = engine.Resolve(device, precision);
        precision.Validate(device);
        IStyleEngine runner;
        if (resolved == Inference.Engine.Onnx)
        {
            runner = new OnnxEngine(OnnxExport.ToBytes(net, info), info.Source, BlockedNorms(info));
            net.Dispose();
        }
        else runner = new TorchEngine(net, device, precision, layout);
        return new StyleModel(info, info.Style, info.Source, info.Licence, runner);
    }

    /// <summary>
    /// Paintings (Magenta's transformer) run their norm-and-pad steps as LiveStyle's operator inside ONNX Runtime's blocked
    /// layout (docs/BENCHMARKS.md): the same network within float rounding. The other layouts keep ONNX Runtime's own
    /// operators, whose outputs are pinned byte for byte from one build to the next (docs/ARCHITECTURE.md).
    /// </summary>
    private static bool BlockedNorms(ModelInfo info) => info.Config.Name == TransformNetConfig.Magenta.Name;

    /// <summary>
    /// About how much host memory stylizing one frame of this size takes at its peak, measured (docs/LIMITS.md): the
    /// runtime's own, the network's activations and the runtime's scratch per pixel it works at (on the GPU's
    /// memory on CUDA), and the frame's pixels, planes and copies per pixel of the frame itself.
    /// </summary>
    public long MemoryNeed(int width, int height) =>
        RuntimeBytes + (Device.IsCuda ? 0 : ActivationBytesPerPixel * Engine.RunPixels(width, height)) + FrameBytesPerPixel * width * (long)height;

    private const long RuntimeBytes = 320L << 20, ActivationBytesPerPixel = 1000, FrameBytesPerPixel = 64;

    /// <summary>[N, 3, H, W] RGB 0..255 of any type on any device in; the same shape, float32, on this model's device out.</summary>
    public Tensor Stylize(Tensor input) => Engine.Run(input);

    internal static void CheckImage(Tensor input)
    {
        if (input.Dim != 4 || input.Size(1) != 3)
            throw new ArgumentException($"a style network takes [N, 3, H, W] images, not {input}");
    }

    public void Dispose() => Engine.Dispose();
}
