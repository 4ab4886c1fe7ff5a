using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>A loaded transform network ready for inference on one device and precision.</summary>
public sealed class StyleModel : IDisposable
{
    private readonly TransformNet _net;

    private StyleModel(TransformNet net, ModelInfo info, Device device, Precision precision)
    {
        _net = net;
        Info = info;
        Device = device;
        Precision = precision;
    }

    public ModelInfo Info { get; }
    public Device Device { get; }
    public Precision Precision { get; }
    public TransformNet Network => _net;

    public static StyleModel Load(string path, Device device, Precision precision) =>
        FromWeights(WeightFiles.Load(path), device, precision);

    public static StyleModel FromWeights(Weights weights, Device device, Precision precision)
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
                catch (StateDictException e) { throw new ModelFormatException($"{weights.Info.Source}: {e.Message}", e); }
            }
            net.To(device, precision.ScalarType());
            return new StyleModel(net, weights.Info, device, precision);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a network built in code (random weights for benchmarks, or a network being trained).</summary>
    public static StyleModel FromNetwork(TransformNet net, ModelInfo info, Device device, Precision precision)
    {
        precision.Validate(device);
        Torch.EnsureAvailable(device);
        net.To(device, precision.ScalarType());
        return new StyleModel(net, info, device, precision);
    }

    /// <summary>[N, 3, H, W] float32 RGB 0..255 on any device in; the same shape, float32, on this model's device out.</summary>
    public Tensor Stylize(Tensor input)
    {
        using var noGrad = Torch.NoGrad();
        var dtype = Precision.ScalarType();
        if (input.Device == Device && input.Dtype == dtype) return ToFloat32(_net.Forward(input));
        using var moved = input.To(Device, dtype, nonBlocking: Device.IsCuda);
        return ToFloat32(_net.Forward(moved));
    }

    private static Tensor ToFloat32(Tensor output)
    {
        if (output.Dtype == ScalarType.Float32) return output;
        using (output) return output.To(ScalarType.Float32);
    }

    public void Dispose() => _net.Dispose();
}
