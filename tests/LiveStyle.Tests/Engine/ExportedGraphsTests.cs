using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>A network exported for ONNX Runtime is kept in the model cache and read back by the next start, under a key of everything the export reads.</summary>
public sealed class ExportedGraphsTests
{
    private static readonly TransformNetConfig Layout = TransformNetConfig.Preset("mobile");

    /// <summary>The same pixels every call, drawn without libtorch's generator (which tests running in parallel share).</summary>
    private static float[] Stylize(StyleModel model)
    {
        using var scope = Torch.NewDisposeScope();
        var random = new Random(11);
        var input = Torch.FromArray(Enumerable.Range(0, 3 * 48 * 64).Select(_ => (float)random.Next(256)).ToArray(), [1, 3, 48, 64]);
        return model.Stylize(input).ToArray<float>();
    }

    [Fact]
    public void ASecondLoadReadsTheKeptGraphAndStylizesAsAFreshExport()
    {
        using var dir = new TempDir();
        var path = dir["model.safetensors"];
        WeightFiles.Save(path, RandomNetworks.Lively(Layout, seed: 5));
        var graphs = new ExportedGraphs(dir["graphs"]);

        float[] fresh, first, second;
        using (var model = StyleModel.Load(path, Device.Cpu, Precision.Fp32)) fresh = Stylize(model);
        using (var model = StyleModel.Load(path, Device.Cpu, Precision.Fp32, graphs: graphs)) first = Stylize(model);
        var kept = Assert.Single(Directory.GetFiles(dir["graphs"]));
        using (var model = StyleModel.Load(path, Device.Cpu, Precision.Fp32, graphs: graphs)) second = Stylize(model);
        Assert.Equal(fresh, first);
        Assert.Equal(fresh, second);
        Assert.Equal(kept, Assert.Single(Directory.GetFiles(dir["graphs"])));

        // Proof that the second start reads the file rather than exporting again: a different network's graph put in
        // its place (named for its own contents, so it passes the damage check) is what the next load runs.
        var other = OnnxExport.ToBytes(RandomNetworks.Lively(Layout, seed: 6));
        File.Delete(kept);
        var planted = new LiveStyle.Files.DiskCache(dir["graphs"], ModelLimits.MaxFileBytes).GetOrAdd(Path.GetFileName(kept).Split('.')[0], "onnx", () => other);
        Assert.Same(other, planted);
        using (var model = StyleModel.Load(path, Device.Cpu, Precision.Fp32, graphs: graphs))
            Assert.NotEqual(fresh, Stylize(model));
    }

    [Fact]
    public void TheKeyChangesWithAnyWeightOrTheMetadataAndOnlyWithThem()
    {
        var weights = RandomNetworks.Lively(Layout, seed: 5);
        var key = ExportedGraphs.Key(weights);
        Assert.Equal(key, ExportedGraphs.Key(RandomNetworks.Lively(Layout, seed: 5)));
        Assert.StartsWith("random-", key);

        var (name, tensor) = weights.Tensors.Last();
        var data = (float[])tensor.Data.Clone();
        data[^1] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(data[^1]) ^ 1);
        var nudged = weights with { Tensors = new Dictionary<string, HostTensor>(weights.Tensors) { [name] = tensor with { Data = data } } };
        Assert.NotEqual(key, ExportedGraphs.Key(nudged));
        Assert.NotEqual(key, ExportedGraphs.Key(weights with { Info = weights.Info with { Style = "another" } }));
        Assert.NotEqual(key, ExportedGraphs.Key(weights with { Info = weights.Info with { Licence = "MIT" } }));
    }
}
