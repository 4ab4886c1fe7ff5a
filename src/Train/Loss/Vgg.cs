using LiveStyle.Models.Formats;
using LiveStyle.Tensors;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loss;

/// <summary>
/// torchvision's VGG-16 / VGG-19 with its parameter names (features.N.weight/bias, classifier.N.*)
/// and preprocessing (RGB / 255, ImageNet mean and std). Stages are named as in the papers (relu1_1 …
/// relu5_4, pool1 … pool5). Channel widths and depth come from the weights: a file may stop after
/// any block (the training loss needs four), and a narrow VGG-shaped network, as tests make, loads
/// the same way as the real one. Classification needs the full network with its classifier.
/// </summary>
public sealed class Vgg : LossNetwork
{
    private static readonly int[] Vgg16Blocks = [2, 2, 3, 3, 3], Vgg19Blocks = [2, 2, 4, 4, 4];
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f];
    private readonly List<(Tensor Weight, Tensor Bias)> _classifier = new();
    private readonly bool _vgg19;
    private Tensor? _mean, _std;

    private Vgg(bool vgg19) => _vgg19 = vgg19;

    public override string Name => _vgg19 ? "vgg19" : "vgg16";
    public override int ClassifySize => 224;

    /// <summary>torchvision's widths: 64, 128, 256, 512, 512 channels in the five blocks.</summary>
    public static readonly int[] TorchvisionWidths = [64, 128, 256, 512, 512];

    /// <summary>Johnson et al.'s training loss (pytorch/examples' weights): relu2_2 for content, the last ReLU of the first four blocks for style.</summary>
    public override PerceptualRecipe FeedForward =>
        PerceptualRecipe.Of("relu2_2", _vgg19 ? "relu1_2,relu2_2,relu3_4,relu4_4" : "relu1_2,relu2_2,relu3_3,relu4_3", 1e5, 1e10, 0);

    /// <summary>Gatys et al. (2016): relu4_2 for content, the first ReLU of each block for style; jcjohnson/neural-style's weights.</summary>
    public override PerceptualRecipe Paint => PerceptualRecipe.Of("relu4_2", "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", 5, 100, 1e-3);

    public static Vgg Load(string path, bool? vgg19 = null)
    {
        var tensors = Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? SafeTensorsFile.Read(path).Tensors
            : PthFile.ReadStateDict(path);
        return FromState(tensors, path, vgg19 ?? IsVgg19(tensors));
    }

    /// <summary>VGG-19's third block has four convolutions, so features.16 is a convolution there and a ReLU in VGG-16.</summary>
    public static bool IsVgg19(IReadOnlyDictionary<string, HostTensor> tensors) => tensors.ContainsKey("features.16.weight");

    /// <summary>
    /// Seeded random (He-uniform) weights under torchvision's names for as many blocks as
    /// <paramref name="widths"/> has, for networks of any width: tests use narrow ones; speed
    /// benchmarks use <see cref="TorchvisionWidths"/>, as timing does not depend on the values.
    /// </summary>
    public static Dictionary<string, HostTensor> RandomState(int[] widths, int seed, bool vgg19 = false)
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, HostTensor>();
        int index = 0, inChannels = 3;
        var blocks = vgg19 ? Vgg19Blocks : Vgg16Blocks;
        for (var block = 0; block < widths.Length; block++, index++)
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
        var vgg = new Vgg(vgg19);
        try
        {
            vgg._mean = vgg.Own(Torch.FromArray(Mean.Select(m => m * 255f).ToArray(), 1, 3, 1, 1));
            vgg._std = vgg.Own(Torch.FromArray(Std.Select(s => s * 255f).ToArray(), 1, 3, 1, 1));
            var stages = new List<(string, Func<Tensor, Tensor>)>();
            var index = 0;
            long inChannels = 3;
            for (var block = 0; block < blocks.Length; block++)
            {
                if (block > 0 && !tensors.ContainsKey($"features.{index}.weight")) break;
                for (var i = 0; i < blocks[block]; i++, index += 2)
                {
                    var w = Get(tensors, $"features.{index}.weight", path);
                    var b = Get(tensors, $"features.{index}.bias", path);
                    if (w.Shape.Length != 4 || w.Shape[1] != inChannels || w.Shape[2] != 3 || w.Shape[3] != 3 || b.Shape.Length != 1 || b.Shape[0] != w.Shape[0])
                        throw new ModelFormatException($"{path}: features.{index} has shape {w.ShapeText}/{b.ShapeText}; a VGG conv takes {inChannels} channels with 3x3 kernels");
                    var weight = vgg.Own(Torch.FromArray(w.Data, w.Shape));
                    var bias = vgg.Own(Torch.FromArray(b.Data, b.Shape));
                    stages.Add(($"relu{block + 1}_{i + 1}", x =>
                    {
                        using var c = Conv2d(x, weight, bias, 1, 1, 1);
                        return c.Relu();
                    }));
                    inChannels = w.Shape[0];
                }
                stages.Add(($"pool{block + 1}", x => vgg.Pool(x, 2, 2)));
                index++;
            }
            vgg.SetStages([.. stages]);
            if (stages.Count == blocks.Sum() + blocks.Length && tensors.ContainsKey("classifier.0.weight"))
                foreach (var (layer, inputs) in new[] { (0, inChannels * 49), (3, 4096L), (6, 4096L) })
                {
                    var w = Get(tensors, $"classifier.{layer}.weight", path);
                    var b = Get(tensors, $"classifier.{layer}.bias", path);
                    if (w.Shape.Length != 2 || w.Shape[1] != inputs || b.Shape.Length != 1 || b.Shape[0] != w.Shape[0])
                        throw new ModelFormatException($"{path}: classifier.{layer} has shape {w.ShapeText}/{b.ShapeText}; expected [*, {inputs}]");
                    vgg._classifier.Add((vgg.Own(Torch.FromArray(w.Data, w.Shape)), vgg.Own(Torch.FromArray(b.Data, b.Shape))));
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

    protected override Tensor Preprocess(Tensor rgb255)
    {
        using var centred = rgb255 - _mean!;
        return centred / _std!;
    }

    /// <summary>torchvision's classifier on the 7x7 pool5 map of a 224x224 image (dropout is off in evaluation).</summary>
    protected override Tensor Head(Tensor features)
    {
        if (_classifier.Count == 0) throw new InvalidOperationException($"{Name}: these weights have no classifier (classifier.0/3/6); classification needs the full torchvision file");
        var x = features.Reshape(features.Size(0), -1);
        for (var i = 0; i < _classifier.Count; i++)
        {
            var (w, b) = _classifier[i];
            using var wt = w.Permute(1, 0);
            using var product = x.MatMul(wt);
            x.Dispose();
            x = product + b;
            if (i < _classifier.Count - 1) x.Assign(x.Relu());
        }
        return x;
    }
}
