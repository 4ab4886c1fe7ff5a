using LiveStyle.Models.Formats;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loss;

/// <summary>
/// SqueezeNet 1.1 (Iandola et al. 2016) as Caffe trained it and microsoft/Windows-Machine-Learning
/// publishes it (SqueezeNet_fp16.onnx): BGR 0..255 input less the means 104, 117, 123; a 3x3 stride-2
/// convolution, then fire modules (1x1 squeeze, 1x1 and 3x3 expand, concatenated) with 3x3 stride-2
/// pooling after conv1, fire3 and fire5, as that file's graph has it. The weights are read from the
/// file's initializers (half precision widened to float32); the stages are conv1, pool1, fire2 …
/// fire9 (the concatenated expand outputs after ReLU), pool3, pool5 and conv10.
/// </summary>
public sealed class SqueezeNet : LossNetwork
{
    private static readonly float[] BgrMean = [104f, 117f, 123f];
    /// <summary>(squeeze, expand) channels of fire2 … fire9, the published architecture.</summary>
    private static readonly (int Squeeze, int Expand)[] Fires = [(16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192), (64, 256), (64, 256)];
    private Tensor? _mean, _conv10Weight, _conv10Bias;

    private SqueezeNet() { }

    public override string Name => "squeezenet";
    public override int ClassifySize => 227;

    // Seen at twice the size: conv1's stride 2 otherwise lets a trained network paint a free pixel-period grid (docs/TRAINING.md).
    public override PerceptualRecipe FeedForward => PerceptualRecipe.Of("fire2", "conv1,fire2,fire3,fire5", 50, 100, 0, lossScale: 2);
    public override PerceptualRecipe Paint => PerceptualRecipe.Of("fire3", "conv1,fire2,fire3,fire5,fire7", 5, 100, 1e-3);

    public static SqueezeNet Load(string path)
    {
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var t in OnnxWire.Decode(ModelLimits.ReadFile(path), path).Graph.Initializers)
            if (!initializers.TryAdd(t.Name, t)) throw new ModelFormatException($"{path}: two initializers are named {ModelInfo.Sanitize(t.Name, 80)}");
        var net = new SqueezeNet();
        try
        {
            net._mean = net.Own(Torch.FromArray(BgrMean, 1, 3, 1, 1));
            var (conv1W, conv1B) = net.Conv(initializers, path, "conv1", 64, 3, 3);
            var stages = new List<(string, Func<Tensor, Tensor>)>
            {
                ("conv1", x => ConvRelu(x, conv1W, conv1B, stride: 2, pad: 0)),
                ("pool1", x => net.Pool(x, 3, 2)),
            };
            var inChannels = 64;
            for (var f = 0; f < Fires.Length; f++)
            {
                var name = $"fire{f + 2}";
                var (s, e) = Fires[f];
                var (sw, sb) = net.Conv(initializers, path, $"{name}/squeeze1x1", s, inChannels, 1);
                var (e1w, e1b) = net.Conv(initializers, path, $"{name}/expand1x1", e, s, 1);
                var (e3w, e3b) = net.Conv(initializers, path, $"{name}/expand3x3", e, s, 3);
                stages.Add((name, x =>
                {
                    using var squeezed = ConvRelu(x, sw, sb, 1, 0);
                    using var wide = ConvRelu(squeezed, e1w, e1b, 1, 0);
                    using var spatial = ConvRelu(squeezed, e3w, e3b, 1, 1);
                    return Torch.Cat([wide, spatial], 1);
                }));
                inChannels = 2 * e;
                if (name is "fire3" or "fire5") stages.Add(($"pool{f + 2}", x => net.Pool(x, 3, 2)));
            }
            (net._conv10Weight, net._conv10Bias) = net.Conv(initializers, path, "conv10", 1000, inChannels, 1);
            stages.Add(("conv10", x => ConvRelu(x, net._conv10Weight, net._conv10Bias, 1, 0)));
            net.SetStages([.. stages]);
        }
        catch
        {
            net.Dispose();
            throw;
        }
        return net;
    }

    private (Tensor Weight, Tensor Bias) Conv(IReadOnlyDictionary<string, OnnxTensor> initializers, string path, string name, long outChannels, long inChannels, long kernel)
    {
        var weight = Initializer(initializers, path, $"{name}_w_0", [outChannels, inChannels, kernel, kernel]);
        var bias = Initializer(initializers, path, $"{name}_b_0", [outChannels]);
        return (Own(Torch.FromArray(weight, outChannels, inChannels, kernel, kernel)), Own(Torch.FromArray(bias, outChannels)));
    }

    private static float[] Initializer(IReadOnlyDictionary<string, OnnxTensor> initializers, string path, string name, long[] shape)
    {
        if (initializers.GetValueOrDefault(name) is not { Floats: { } values } tensor)
            throw new ModelFormatException($"{path}: no float initializer {name}; not Caffe's SqueezeNet 1.1 (SqueezeNet_fp16.onnx)");
        if (!tensor.Dims.SequenceEqual(shape) || values.Length != shape.Aggregate(1L, (p, d) => p * d))
            throw new ModelFormatException($"{path}: {name} has shape [{string.Join(", ", tensor.Dims)}]; SqueezeNet 1.1 has [{string.Join(", ", shape)}]");
        if (!Models.Inference.FiniteValues.All(values)) throw new ModelFormatException($"{path}: {name} holds a value that is not a finite number");
        return values;
    }

    private static Tensor ConvRelu(Tensor x, Tensor weight, Tensor bias, int stride, int pad)
    {
        using var c = Conv2d(x, weight, bias, stride, pad, pad);
        return c.Relu();
    }

    /// <summary>RGB 0..255 → BGR less Caffe's means.</summary>
    protected override Tensor Preprocess(Tensor rgb255)
    {
        using var bgr = rgb255.Flip(1);
        return bgr - _mean!;
    }

    /// <summary>conv10's ReLU output averaged over all positions (the graph's GlobalAveragePool).</summary>
    protected override Tensor Head(Tensor features) => features.Mean([2, 3]);
}
