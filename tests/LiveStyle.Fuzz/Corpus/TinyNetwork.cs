using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;

namespace LiveStyle.Fuzz.Corpus;

/// <summary>A slim network with few channels and one residual block (a few kilobytes), saved as LiveStyle saves models.</summary>
public static class TinyNetwork
{
    private static readonly TransformNetConfig Config = TransformNetConfig.Slim with { Channels = [2, 2, 2], ResidualBlocks = 1 };

    public static byte[] SafeTensors()
    {
        using var net = new TransformNet(Config);
        var path = Path.Combine(Path.GetTempPath(), $"livestyle-fuzz-seed-{Environment.ProcessId}.safetensors");
        try
        {
            WeightFiles.Save(path, new Weights(Info, net.NamedParameters().ToDictionary(p => p.Name, p => new HostTensor(p.Value.Shape, p.Value.ToArray<float>()))));
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    public static byte[] Onnx()
    {
        using var net = new TransformNet(Config);
        return OnnxExport.ToBytes(net, Info);
    }

    /// <summary>{"name": [shape], …} of every weight, for the PyTorch seeds.</summary>
    public static string ShapesJson()
    {
        using var net = new TransformNet(Config);
        return System.Text.Json.JsonSerializer.Serialize(net.NamedParameters().ToDictionary(p => p.Name, p => p.Value.Shape));
    }

    private static ModelInfo Info => new(Config, "tiny", "livestyle-fuzz seed", new Dictionary<string, string>());
}
