using LiveStyle.Models.Networks;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>
/// libtorch (through native/torch): a <see cref="TransformNet"/> on a device at a precision, for bf16, CUDA and
/// everything with gradients. The engine owns the network.
/// </summary>
public sealed class TorchEngine : IStyleEngine
{
    public TorchEngine(TransformNet net, Device device, Precision precision, MemoryFormat? layout = null)
    {
        precision.Validate(device);
        Torch.EnsureAvailable(device);
        Torch.Threads = InferenceThreads.Count;
        Network = net;
        Device = device;
        Precision = precision;
        Layout = layout ?? DefaultLayout;
        net.To(device, precision.ScalarType());
        if (Layout == MemoryFormat.ChannelsLast) net.To(MemoryFormat.ChannelsLast);
    }

    /// <summary>
    /// NCHW everywhere: NHWC spares cuDNN its internal transposes, but the instance norms' per-channel
    /// reductions and the padding kernels are slower on it, and on an H100 the whole of every preset but
    /// mobile in fp32 ran slower (docs/BENCHMARKS.md).
    /// </summary>
    public const MemoryFormat DefaultLayout = MemoryFormat.Contiguous;

    public Engine Kind => Engine.Torch;
    public Device Device { get; }
    public Precision Precision { get; }
    public string? FixedInputSize => null;

    public long RunPixels(int width, int height) => (long)width * height;

    /// <summary>The activations' layout (bench --layout measures both).</summary>
    public MemoryFormat Layout { get; }

    public TransformNet Network { get; }

    public Tensor Run(Tensor input)
    {
        var output = Forward(input);
        if (output.Dtype == ScalarType.Float32) return output;
        using (output) return output.To(ScalarType.Float32);
    }

    /// <summary>As <see cref="Run"/>, but the result stays in the engine's precision (and layout).</summary>
    public Tensor Forward(Tensor input)
    {
        StyleModel.CheckImage(input);
        using var noGrad = Torch.NoGrad();
        using var moved = input.To(Device, Precision.ScalarType(), nonBlocking: Device.IsCuda);
        // Convolutions hand their input's layout on to their output, so an NHWC view here (a camera
        // frame's bytes, permuted) would silently run the whole network in NHWC.
        using var laidOut = moved.Contiguous(Layout);
        return Network.Forward(laidOut);
    }

    /// <summary>Only for CPU engines: on CUDA, frames take the device frame path (Pipeline's DeviceFrameStylizer).</summary>
    public IPlanarStylizer BindPlanar(int width, int height) =>
        Device.IsCuda
            ? throw new InvalidOperationException("a CUDA engine binds frames on the device, not planar host buffers")
            : new TorchPlanarStylizer(this, width, height);

    public void Dispose() => Network.Dispose();
}
