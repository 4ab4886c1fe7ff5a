using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>A loaded transform network ready for inference on one device and precision.</summary>
public sealed class StyleModel : IDisposable
{
    private readonly TransformNet _net;

    private StyleModel(TransformNet net, ModelInfo info, Device device, Precision precision, MemoryFormat? layout)
    {
        _net = net;
        Info = info;
        Device = device;
        Precision = precision;
        Layout = layout ?? DefaultLayout;
        if (Layout == MemoryFormat.ChannelsLast) net.To(MemoryFormat.ChannelsLast);
        // Frame sizes stay fixed for a run, so cuDNN's one-off algorithm search at each shape pays off.
        if (device.IsCuda) Torch.SetCudnnAutotune(true);
    }

    public ModelInfo Info { get; }
    public Device Device { get; }
    public Precision Precision { get; }

    /// <summary>The activations' layout (bench --layout measures both).</summary>
    public MemoryFormat Layout { get; }

    /// <summary>
    /// NCHW everywhere: NHWC spares cuDNN its internal transposes, but the instance norms' per-channel
    /// reductions and the padding kernels are slower on it, and on an H100 the whole of every preset but
    /// mobile in fp32 ran slower (docs/BENCHMARKS.md).
    /// </summary>
    public const MemoryFormat DefaultLayout = MemoryFormat.Contiguous;
    public TransformNet Network => _net;

    public static StyleModel Load(string path, Device device, Precision precision) =>
        FromWeights(WeightFiles.Load(path), device, precision);

    public static StyleModel FromWeights(Weights weights, Device device, Precision precision, MemoryFormat? layout = null)
    {
        precision.Validate(device);
        Torch.EnsureAvailable(device);
        var net = new TransformNet(weights.Info.Config);
        try
        {
            using (var scope = Torch.NewDisposeScope())
            {
                var state = weights.Tensors.ToDictionary(kv => kv.Key, kv => Torch.FromArray(kv.Value.Data, kv.Value.Shape));
                try { net.LoadStateDict(state); }
                catch (StateDictException e) { throw new ModelFormatException($"{weights.File ?? weights.Info.Source}: {e.Message}", e); }
            }
            net.To(device, precision.ScalarType());
            return new StyleModel(net, weights.Info, device, precision, layout);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a network built in code (random weights for benchmarks, or a network being trained).</summary>
    public static StyleModel FromNetwork(TransformNet net, ModelInfo info, Device device, Precision precision, MemoryFormat? layout = null)
    {
        precision.Validate(device);
        Torch.EnsureAvailable(device);
        net.To(device, precision.ScalarType());
        return new StyleModel(net, info, device, precision, layout);
    }

    /// <summary>[N, 3, H, W] RGB 0..255 of any type on any device in; the same shape, float32, on this model's device out.</summary>
    public Tensor Stylize(Tensor input) => ToFloat32(Forward(input));

    /// <summary>As <see cref="Stylize"/>, but the result stays in the model's precision (and layout).</summary>
    public Tensor Forward(Tensor input)
    {
        if (input.Dim != 4 || input.Size(1) != 3)
            throw new ArgumentException($"a style network takes [N, 3, H, W] images, not {input}");
        using var noGrad = Torch.NoGrad();
        using var moved = input.To(Device, Precision.ScalarType(), nonBlocking: Device.IsCuda);
        // Convolutions hand their input's layout on to their output, so an NHWC view here (a camera
        // frame's bytes, permuted) would silently run the whole network in NHWC.
        using var laidOut = moved.Contiguous(Layout);
        return _net.Forward(laidOut);
    }

    private static Tensor ToFloat32(Tensor output)
    {
        if (output.Dtype == ScalarType.Float32) return output;
        using (output) return output.To(ScalarType.Float32);
    }

    public void Dispose() => _net.Dispose();
}
