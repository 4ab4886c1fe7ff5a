using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;

namespace LiveStyle.Tests.Support;

/// <summary>A network of a given layout with seeded random weights, saved as a LiveStyle model file.</summary>
public static class RandomNetworks
{
    public static void Save(TransformNetConfig config, string path, ulong seed, string style = "random")
    {
        Torch.ManualSeed(seed);
        using var net = new TransformNet(config);
        using var scope = Torch.NewDisposeScope();
        var tensors = net.NamedParameters().ToDictionary(p => p.Name, p => new HostTensor(p.Value.Shape, p.Value.ToArray<float>()));
        WeightFiles.Save(path, new Weights(new ModelInfo(config, style, "random weights for a test", new Dictionary<string, string>()), tensors));
    }
}
