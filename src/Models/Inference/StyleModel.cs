using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>
/// A loaded style model ready for inference on one device, precision and <see cref="Inference.Engine"/>:
/// a <see cref="TransformNet"/> run by libtorch, or an ONNX graph run by ONNX Runtime (LiveStyle's own
/// networks emit theirs; a foreign ONNX model runs as it is).
/// </summary>
public sealed class StyleModel : IDisposable
{
    private readonly TransformNet? _net;
    private readonly OnnxNetwork? _onnx;
    private OnnxFrameBinding? _lastBinding;
    private (int Width, int Height) _lastSize;

    private StyleModel(TransformNet? net, OnnxNetwork? onnx, ModelInfo? info, string style, string source, string licence,
        Device device, Precision precision, MemoryFormat? layout)
    {
        _net = net;
        _onnx = onnx;
        Info = info;
        Style = style;
        Source = source;
        Licence = licence;
        Device = device;
        Precision = precision;
        Layout = layout ?? DefaultLayout;
        if (net == null) return;
        if (Layout == MemoryFormat.ChannelsLast) net.To(MemoryFormat.ChannelsLast);
        // Frame sizes stay fixed for a run, so cuDNN's one-off algorithm search at each shape pays off.
        if (device.IsCuda) Torch.SetCudnnAutotune(true);
    }

    /// <summary>The layout and metadata of a LiveStyle network; null for a foreign ONNX model run as it is.</summary>
    public ModelInfo? Info { get; }
    public string Style { get; }
    public string Source { get; }
    public string Licence { get; }
    public string Architecture => Info?.Config.Name ?? "onnx";
    public Device Device { get; }
    public Precision Precision { get; }
    public Engine Engine => _onnx != null ? Engine.Onnx : Engine.Torch;

    /// <summary>A foreign ONNX model's fixed input size ("720x720"), to which every frame is resized and back; null for any size.</summary>
    public string? FixedInputSize => _onnx is { IsFixedSize: true } o ? $"{o.FixedWidth?.ToString() ?? "any"}x{o.FixedHeight?.ToString() ?? "any"}" : null;

    /// <summary>The activations' layout (bench --layout measures both).</summary>
    public MemoryFormat Layout { get; }

    /// <summary>
    /// NCHW everywhere: NHWC spares cuDNN its internal transposes, but the instance norms' per-channel
    /// reductions and the padding kernels are slower on it, and on an H100 the whole of every preset but
    /// mobile in fp32 ran slower (docs/BENCHMARKS.md).
    /// </summary>
    public const MemoryFormat DefaultLayout = MemoryFormat.Contiguous;

    /// <summary>The libtorch network (null on the ONNX Runtime engine).</summary>
    public TransformNet? Network => _net;

    public static StyleModel Load(string path, Device device, Precision precision, Engine engine = Engine.Auto)
    {
        if (!OnnxModelFile.IsOnnxPath(path)) return FromWeights(WeightFiles.Load(path), device, precision, engine: engine);
        var file = OnnxModelFile.Read(path);
        if (file.Weights != null) return FromWeights(file.Weights, device, precision, engine: engine);
        if (engine.Resolve(device, precision) != Engine.Onnx)
            throw new ModelFormatException($"{path} is not a network layout LiveStyle knows, so it runs only as it is, on ONNX Runtime (--engine onnx, fp32 on the CPU)");
        var onnx = OnnxNetwork.Create(file.Bytes, Torch.Threads, path);
        return new StyleModel(null, onnx, null, file.Style, path, file.Licence, device, precision, null);
    }

    public static StyleModel FromWeights(Weights weights, Device device, Precision precision, MemoryFormat? layout = null, Engine engine = Engine.Auto)
    {
        var resolved = engine.Resolve(device, precision);
        precision.Validate(device);
        if (resolved == Engine.Torch) Torch.EnsureAvailable(device);
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
    public static StyleModel FromNetwork(TransformNet net, ModelInfo info, Device device, Precision precision, MemoryFormat? layout = null, Engine engine = Engine.Auto)
    {
        var resolved = engine.Resolve(device, precision);
        precision.Validate(device);
        if (resolved == Engine.Onnx)
        {
            var onnx = OnnxNetwork.Create(OnnxExport.ToBytes(net, info), Torch.Threads, info.Source);
            net.Dispose();
            return new StyleModel(null, onnx, info, info.Style, info.Source, info.Licence, device, precision, null);
        }
        Torch.EnsureAvailable(device);
        net.To(device, precision.ScalarType());
        return new StyleModel(net, null, info, info.Style, info.Source, info.Licence, device, precision, layout);
    }

    /// <summary>[N, 3, H, W] RGB 0..255 of any type on any device in; the same shape, float32, on this model's device out.</summary>
    public Tensor Stylize(Tensor input) => _onnx != null ? RunOnnx(input) : ToFloat32(Forward(input));

    /// <summary>As <see cref="Stylize"/>, but the result stays in the model's precision (and layout).</summary>
    public Tensor Forward(Tensor input)
    {
        CheckImage(input);
        if (_onnx != null) return RunOnnx(input);
        using var noGrad = Torch.NoGrad();
        using var moved = input.To(Device, Precision.ScalarType(), nonBlocking: Device.IsCuda);
        // Convolutions hand their input's layout on to their output, so an NHWC view here (a camera
        // frame's bytes, permuted) would silently run the whole network in NHWC.
        using var laidOut = moved.Contiguous(Layout);
        return _net!.Forward(laidOut);
    }

    /// <summary>
    /// For frames of one size: planar RGB float [3, H, W] in and out, nothing allocated per frame once warm.
    /// Only for CPU models (on CUDA, frames take <c>DeviceFrameStylizer</c>'s path).
    /// </summary>
    public IPlanarStylizer BindPlanar(int width, int height) =>
        _onnx != null ? new OnnxPlanarStylizer(_onnx.Bind(width, height)) : new TorchPlanarStylizer(this, width, height);

    private static void CheckImage(Tensor input)
    {
        if (input.Dim != 4 || input.Size(1) != 3)
            throw new ArgumentException($"a style network takes [N, 3, H, W] images, not {input}");
    }

    private Tensor RunOnnx(Tensor input)
    {
        CheckImage(input);
        long n = input.Size(0), h = input.Size(2), w = input.Size(3);
        using var host = input.To(Device.Cpu, ScalarType.Float32);
        using var contiguous = host.Contiguous();
        var result = Torch.Empty([n, 3, h, w]);
        var binding = Binding((int)w, (int)h);
        var plane = (int)(3 * h * w);
        try
        {
            var pixels = contiguous.AsSpan<float>();
            var styled = result.AsSpan<float>();
            for (var i = 0; i < n; i++) binding.Run(pixels.Slice(i * plane, plane), styled.Slice(i * plane, plane));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private OnnxFrameBinding Binding(int width, int height)
    {
        if (_lastBinding != null && _lastSize == (width, height)) return _lastBinding;
        _lastBinding?.Dispose();
        _lastSize = (width, height);
        return _lastBinding = _onnx!.Bind(width, height);
    }

    private static Tensor ToFloat32(Tensor output)
    {
        if (output.Dtype == ScalarType.Float32) return output;
        using (output) return output.To(ScalarType.Float32);
    }

    public void Dispose()
    {
        _lastBinding?.Dispose();
        _onnx?.Dispose();
        _net?.Dispose();
    }
}
