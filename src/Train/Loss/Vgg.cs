using LiveStyle.Models.Formats;
using LiveStyle.Tensors;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loss;

/// <summary>
/// The convolutional part of torchvision's VGG-16 / VGG-19 up to relu4_3 (VGG-16) or relu4_4
/// (VGG-19), with torchvision's parameter names (features.N.weight/bias). Channel widths come from
/// the weights, so a small VGG-shaped network (as tests make) loads the same way as the real one.
/// Input: ImageNet-normalised RGB. Returns the activations after relu1_2, relu2_2, relu3_3/4, relu4_3/4.
/// </summary>
public sealed class Vgg : IDisposable
{
    private static readonly int[] Vgg16Blocks = [2, 2, 3, 3], Vgg19Blocks = [2, 2, 4, 4];
    private readonly List<(Tensor Weight, Tensor Bias)> _convs = new();
    private readonly int[] _blocks;

    private Vgg(int[] blocks) => _blocks = blocks;

    /// <summary>torchvision's widths: 64, 128, 256, 512 channels in the four blocks used.</summary>
    public static readonly int[] TorchvisionWidths = [64, 128, 256, 512];

    public static Vgg Load(string path, bool vgg19 = false) =>
        FromState(Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? SafeTensorsFile.Read(path).Tensors
            : PthFile.ReadStateDict(path), path, vgg19);

    /// <summary>
    /// Seeded random (He-uniform) weights under torchvision's names, for networks of any width: tests
    /// use narrow ones; speed benchmarks use <see cref="TorchvisionWidths"/>, as timing does not depend on the values.
    /// </summary>
    public static Dictionary<string, HostTensor> RandomState(int[] widths, int seed, bool vgg19 = false)
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, HostTensor>();
        int index = 0, inChannels = 3;
        var blocks = vgg19 ? Vgg19Blocks : Vgg16Blocks;
        for (var block = 0; block < blocks.Length; block++, index++)
        for (var i = 0; i < blocks[block]; i++, index += 2)
        {
            var fanIn = inChannels * 9;
            var limit = MathF.Sqrt(6f / fanIn);
            var weight = new float[widths[block] * fanIn];
            for (var k = 0; k < weight.Length; k++) weight[k] = (float)(random.NextDouble() * 2 - 1) * limit;
            tensors[$"features.{index}.weight"] = new HostTensor([widths[block], inChannels, 3, 3], weight);
            tensors[$"features.{index}.bias"] = new HostTensor([widths[block]], new float[widths[block]]);
            inChannels = widths[block];
        }
        return tensors;
    }

    public static Vgg FromState(IReadOnlyDictionary<string, HostTensor> tensors, string path, bool vgg19 = false)
    {
        var blocks = vgg19 ? Vgg19Blocks : Vgg16Blocks;
        var vgg = new Vgg(blocks);
        var index = 0;
        long inChannels = 3;
        try
        {
            foreach (var convs in blocks)
            {
                for (var i = 0; i < convs; i++)
                {
                    var w = Get(tensors, $"features.{index}.weight", path);
                    var b = Get(tensors, $"features.{index}.bias", path);
                    if (w.Shape.Length != 4 || w.Shape[1] != inChannels || w.Shape[2] != 3 || b.Shape.Length != 1 || b.Shape[0] != w.Shape[0])
                        throw new ModelFormatException($"{path}: features.{index} has shape {w.ShapeText}/{b.ShapeText}; a VGG conv takes {inChannels} channels with 3x3 kernels");
                    vgg._convs.Add((Torch.FromArray(w.Data, w.Shape).DetachFromScope(), Torch.FromArray(b.Data, b.Shape).DetachFromScope()));
                    inChannels = w.Shape[0];
                    index += 2; // conv, ReLU
                }
                index++; // max pool
            }
        }
        catch
        {
            vgg.Dispose();
            throw;
        }
        return vgg;
    }

    private static HostTensor Get(IReadOnlyDictionary<string, HostTensor> tensors, string key, string path) =>
        tensors.TryGetValue(key, out var t) ? t : throw new ModelFormatException($"{path}: no {key}; not torchvision VGG weights (features.N.weight/bias)");

    /// <summary>Moves the (frozen) weights; a bf16 VGG is how mixed-precision training runs its loss network.</summary>
    public void To(Device device, ScalarType dtype = ScalarType.Float32)
    {
        foreach (var (w, b) in _convs)
        {
            w.Assign(w.To(device, dtype));
            b.Assign(b.To(device, dtype));
        }
    }

    public ScalarType Dtype => _convs[0].Weight.Dtype;

    /// <summary>
    /// <see cref="Features"/> of an RGB 0..255 image after ImageNet normalisation, computed in the
    /// weights' dtype and returned as float32, so Gram matrices and losses keep full precision.
    /// </summary>
    public Tensor[] LossFeatures(Tensor rgb255, int blocks = 4)
    {
        var normalised = StyleLosses.Normalize(rgb255);
        var features = Features(normalised.Dtype == Dtype ? normalised : normalised.To(Dtype), blocks);
        return Dtype == ScalarType.Float32 ? features : features.Select(f => f.To(ScalarType.Float32)).ToArray();
    }

    /// <summary>
    /// The style layers' activations, from the first up to <paramref name="blocks"/> of them (all four by
    /// default; the content target needs only two). The caller owns them (they live in its dispose scope).
    /// </summary>
    public Tensor[] Features(Tensor x, int blocks = 4)
    {
        var outputs = new Tensor[blocks];
        var h = x;
        var conv = 0;
        for (var block = 0; block < blocks; block++)
        {
            if (block > 0) h = MaxPool2d(h, 2, 2);
            for (var i = 0; i < _blocks[block]; i++, conv++)
            {
                var (w, b) = _convs[conv];
                using var c = Conv2d(h, w, b, 1, 1, 1);
                h = c.Relu();
            }
            outputs[block] = h;
        }
        return outputs;
    }

    public void Dispose()
    {
        foreach (var (w, b) in _convs)
        {
            w.Dispose();
            b.Dispose();
        }
    }
}
