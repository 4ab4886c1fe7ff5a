using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;

namespace LiveStyle.Tests.Support;

/// <summary>Networks of a given layout with random weights: as a model in memory, as weights, or saved as a LiveStyle model file.</summary>
public static class RandomNetworks
{
    public static ModelInfo Info(TransformNetConfig config, string style = "random") =>
        new(config, style, "random weights for a test", new Dictionary<string, string>());

    /// <summary>A CPU model with libtorch's default initialisation (instance norms start as scale 1, shift 0).</summary>
    public static StyleModel Model(TransformNetConfig config, Precision precision = Precision.Fp32, Models.Inference.Engine engine = Models.Inference.Engine.Auto) =>
        StyleModel.FromNetwork(new TransformNet(config), Info(config), Device.Cpu, precision, engine: engine);

    public static void Save(TransformNetConfig config, string path, ulong seed, string style = "random")
    {
        Torch.ManualSeed(seed);
        using var net = new TransformNet(config);
        using var scope = Torch.NewDisposeScope();
        var tensors = net.NamedParameters().ToDictionary(p => p.Name, p => new HostTensor(p.Value.Shape, p.Value.ToArray<float>()));
        WeightFiles.Save(path, new Weights(Info(config, style), tensors));
    }

    /// <summary>
    /// Seeded weights whose instance norms have random scales of about 1 and shifts of about 0.3, which keep every layer's
    /// activations alive; convolutions are uniform within ±1/√fan-in, libtorch's default. Drawn from the seed alone, not
    /// libtorch's generator, which tests running in parallel share: the same seed always gives the same weights.
    /// </summary>
    public static Weights Lively(TransformNetConfig config, int seed)
    {
        using var net = new TransformNet(config);
        var tensors = net.NamedParameters().ToDictionary(p => p.Name, p => new HostTensor(p.Value.Shape, new float[p.Value.Shape.Aggregate(1L, (a, b) => a * b)]));
        var random = new Random(seed);
        foreach (var (name, t) in tensors)
        {
            var layer = name[..name.LastIndexOf('.')];
            var norm = layer.Split('.')[^1].StartsWith("in", StringComparison.Ordinal);
            var weight = tensors[layer + ".weight"].Shape;
            var bound = 1 / Math.Sqrt(weight.Skip(1).Aggregate(1L, (a, b) => a * b));
            for (var i = 0; i < t.Data.Length; i++)
                t.Data[i] = norm
                    ? name.EndsWith("weight") ? 0.5f + (float)random.NextDouble() : (float)random.NextDouble() - 0.5f
                    : (float)((2 * random.NextDouble() - 1) * bound);
        }
        return new Weights(Info(config), tensors);
    }
}
