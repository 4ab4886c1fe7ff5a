using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Formats;

/// <summary>A model's weights (named as in <see cref="TransformNet"/>), what it says about itself, and the file they came from.</summary>
public sealed record Weights(ModelInfo Info, IReadOnlyDictionary<string, HostTensor> Tensors, string? File = null)
{
    /// <summary>
    /// A weight beyond this is no trained network's: fed through, it overflows float32 and paints black. (The largest in
    /// the shipped and catalog models is under 200.)
    /// </summary>
    public const float MaxWeight = 1e6f;

    /// <summary>Every value finite and within <see cref="MaxWeight"/>: poisoned weights are refused when loaded, not discovered as a black picture.</summary>
    public void CheckValues()
    {
        foreach (var (name, tensor) in Tensors)
            foreach (var v in tensor.Data)
                if (!float.IsFinite(v) || Math.Abs(v) > MaxWeight)
                    throw new ModelFormatException($"{File ?? Info.Source}: weight {ModelInfo.Sanitize(name)} holds {v}, not a finite number a network could use");
    }

    /// <summary>A CPU float32 network with these weights; names and shapes must match the layout exactly.</summary>
    public TransformNet ToNetwork()
    {
        CheckValues();
        var net = new TransformNet(Info.Config);
        try
        {
            using var scope = LiveStyle.Tensors.Torch.NewDisposeScope();
            net.LoadStateDict(this.Tensors.ToDictionary(kv => kv.Key, kv => LiveStyle.Tensors.Torch.FromArray(kv.Value.Data, kv.Value.Shape)));
            return net;
        }
        catch (LiveStyle.Tensors.StateDictException e)
        {
            net.Dispose();
            throw new ModelFormatException($"{File ?? Info.Source}: {e.Message}", e);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }
}

/// <summary>Recognises every weight format LiveStyle reads and loads it into one shape.</summary>
public static class WeightFiles
{
    public const string NativeExtension = ".safetensors";

    public static Weights Load(string path)
    {
        if (Directory.Exists(path))
        {
            if (!Ml5Checkpoint.IsCheckpointFolder(path))
                throw new ModelFormatException($"{path} is a folder without {Ml5Checkpoint.ManifestName}; not an ml5 checkpoint");
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
            return new Weights(new ModelInfo(Ml5Checkpoint.Config, name, "ml5 checkpoint " + path, new Dictionary<string, string>()), Ml5Checkpoint.Read(path), path);
        }
        ModelLimits.CheckFile(path);
        if (OnnxModelFile.IsOnnxPath(path))
            return OnnxModelFile.Read(path).Weights
                   ?? throw new ModelFormatException($"{path} is an ONNX model of a layout LiveStyle does not know: stylize, live and convert run it as it is, but it cannot become a LiveStyle network");

        if (Path.GetExtension(path).Equals(NativeExtension, StringComparison.OrdinalIgnoreCase))
        {
            var contents = SafeTensorsFile.Read(path);
            var info = ModelInfo.FromMetadata(contents.Metadata, path)
                       ?? new ModelInfo(InferConfig(contents.Tensors, path), Path.GetFileNameWithoutExtension(path), path, new Dictionary<string, string>());
            return new Weights(info, contents.Tensors, path);
        }

        if (!LooksLikePyTorch(path))
            throw new ModelFormatException($"{path}: unknown model format (expected .safetensors, a PyTorch .pth/.pt state dict, or an ml5 checkpoint folder)");
        var state = PthFile.ReadStateDict(path);
        return new Weights(new ModelInfo(InferConfig(state, path), Path.GetFileNameWithoutExtension(path), "PyTorch state dict " + path,
            new Dictionary<string, string>()), state, path);
    }

    public static void Save(string path, Weights weights, bool overwrite = true) =>
        SafeTensorsFile.Write(path, weights.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal), weights.Info.ToMetadata(), overwrite);

    private static bool LooksLikePyTorch(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".pth" or ".pt" or ".model" or ".ckpt" or ".bin") return true;
        using var f = File.OpenRead(path);
        var head = new byte[4];
        var n = f.Read(head);
        return (n >= 2 && head[0] == 0x80) || PthFile.LooksLikeZip(head.AsSpan(0, n));
    }

    /// <summary>Recovers a pytorch/examples-style layout (any channel widths, any number of residual blocks) from weight names and shapes.</summary>
    public static TransformNetConfig InferConfig(IReadOnlyDictionary<string, HostTensor> tensors, string path)
    {
        long Out(string key) => tensors.TryGetValue(key, out var t) && t.Shape.Length == 4
            ? t.Shape[0]
            : throw new ModelFormatException($"{path}: no {key} of rank 4; not a TransformerNet state dict");
        var channels = new[] { (int)Out("conv1.conv2d.weight"), (int)Out("conv2.conv2d.weight"), (int)Out("conv3.conv2d.weight") };
        // Residual blocks are res1., res2., ... without a gap: one pass over the keys, however many there are.
        var present = new HashSet<int>();
        foreach (var key in tensors.Keys)
        {
            var dot = key.IndexOf('.');
            if (dot > 3 && key.StartsWith("res", StringComparison.Ordinal) && int.TryParse(key.AsSpan(3, dot - 3), out var n) && n > 0) present.Add(n);
        }
        var blocks = 0;
        while (present.Contains(blocks + 1)) blocks++;
        var separable = tensors.ContainsKey("res1.conv1_dw.conv2d.weight");
        var config = TransformNetConfig.Full with
        {
            Channels = channels,
            ResidualBlocks = blocks,
            Residual = separable ? ResidualKind.DepthwiseSeparable : ResidualKind.Standard,
            ConvBias = tensors.ContainsKey("conv1.conv2d.bias"),
        };
        if (config.Problem() is { } problem) throw new ModelFormatException($"{path}: not a usable TransformerNet ({problem})");
        var preset = TransformNetConfig.Presets.FirstOrDefault(p => p.Matches(config));
        return preset ?? config with { Name = "custom" };
    }
}
