using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// One network definition, two engines: the ONNX graph a <see cref="TransformNet"/> emits must compute what
/// libtorch computes from the same weights, for every layout, at sizes that are and are not multiples of 4.
/// </summary>
public sealed class OnnxEngineTests
{
    [Theory]
    [InlineData("fst", 256, 256)]
    [InlineData("fst", 640, 480)]
    [InlineData("fst", 321, 241)]
    [InlineData("full", 256, 256)]
    [InlineData("full", 640, 480)]
    [InlineData("full", 321, 241)]
    [InlineData("slim", 256, 256)]
    [InlineData("slim", 640, 480)]
    [InlineData("slim", 321, 241)]
    [InlineData("mobile", 256, 256)]
    [InlineData("mobile", 640, 480)]
    [InlineData("mobile", 321, 241)]
    public void OnnxRuntimeComputesWhatLibtorchComputes(string arch, int width, int height)
    {
        var weights = RandomNetworks.Lively(TransformNetConfig.Preset(arch), seed: 7);
        var (torch, onnx) = RunBoth(weights, width, height);
        AssertAgree(torch, onnx);
    }

    [Fact]
    public void ReflectMarginLayoutAgreesAtOddSizesWithSeparableBlocks()
    {
        // Johnson's border rule with a layout no published model has: the graph must not assume 5 blocks or standard convolutions.
        var config = TransformNetConfig.Slim with { Name = "custom", Padding = BorderPadding.ReflectMargin, Upsample = UpsampleKind.TransposedConv,
            Output = OutputKind.Tanh150, ResidualBlocks = 3, Residual = ResidualKind.DepthwiseSeparable, InputMean = [120f, 110f, 100f] };
        var (torch, onnx) = RunBoth(RandomNetworks.Lively(config, seed: 3), 201, 163);
        AssertAgree(torch, onnx);
    }

    [Fact]
    public void JohnsonModelImportedFromOnnxReproducesTheOriginalFileAtItsNativeSize()
    {
        const int size = 720;
        var path = TestPaths.WindowsMl("candy.onnx");
        var photo = TestImages.Photo(size, size, "golden_gate.jpg");
        float[] rgb;
        using (var t = ImageTensors.ToTensor(photo)) rgb = t.ToArray<float>();

        // The file as it is, in ONNX Runtime: BGR 0..255 in, BGR out.
        var original = new float[rgb.Length];
        using (var network = OnnxNetwork.Create(File.ReadAllBytes(path), 2, path))
        using (var binding = network.Bind(size, size))
            binding.Run(SwapRedBlue(rgb, size * size), original);
        var expected = SwapRedBlue(original, size * size);

        foreach (var engine in new[] { Models.Inference.Engine.Onnx, Models.Inference.Engine.Torch })
        {
            using var model = StyleModel.Load(path, Device.Cpu, Precision.Fp32, engine);
            Assert.Equal("johnson", model.Architecture);
            Assert.Equal("Free for personal or research use", model.Licence);
            using var x = Torch.FromArray(rgb, 1, 3, size, size);
            using var y = model.Stylize(x);
            PixelComparison.AssertMatches(y.ToArray<float>(), expected);
        }
        // Stylized, not copied: a real style moves most pixels by many levels.
        Assert.True(MeanAbsoluteDifference(expected, rgb) > 30, $"candy changed the photo by only {MeanAbsoluteDifference(expected, rgb):F1} levels");
    }

    [Fact]
    public void JohnsonModelRunsAtOtherSizesAndBothEnginesAgree()
    {
        var weights = OnnxModelFile.Read(TestPaths.WindowsMl("mosaic.onnx")).Weights!;
        var (torch, onnx) = RunBoth(weights, 321, 241);
        AssertAgree(torch, onnx);
    }

    [Fact]
    public void ExportedGraphLoadsBackAsTheSameNetwork()
    {
        var weights = RandomNetworks.Lively(TransformNetConfig.Mobile, seed: 5);
        using var net = Network(weights);
        var bytes = OnnxExport.ToBytes(net, weights.Info);
        using var dir = new TempDir();
        File.WriteAllBytes(dir["m.onnx"], bytes);
        var file = OnnxModelFile.Read(dir["m.onnx"]);
        Assert.NotNull(file.Weights);
        Assert.True(file.Weights!.Info.Config.Matches(TransformNetConfig.Mobile));
        foreach (var (name, tensor) in weights.Tensors)
        {
            Assert.Equal(tensor.Shape, file.Weights.Tensors[name].Shape);
            Assert.Equal(tensor.Data, file.Weights.Tensors[name].Data);
        }
    }

    private static TransformNet Network(Weights weights)
    {
        var net = new TransformNet(weights.Info.Config);
        using var scope = Torch.NewDisposeScope();
        net.LoadStateDict(weights.Tensors.ToDictionary(kv => kv.Key, kv => Torch.FromArray(kv.Value.Data, kv.Value.Shape)));
        return net;
    }

    private static (float[] Torch, float[] Onnx) RunBoth(Weights weights, int width, int height)
    {
        float[] input;
        using (var t = ImageTensors.ToTensor(TestImages.Photo(width, height, "golden_gate.jpg"))) input = t.ToArray<float>();
        float[] Run(Models.Inference.Engine engine)
        {
            using var model = StyleModel.FromWeights(weights, Device.Cpu, Precision.Fp32, engine: engine);
            Assert.Equal(engine, model.Engine.Kind);
            using var x = Torch.FromArray(input, 1, 3, height, width);
            using var y = model.Stylize(x);
            Assert.Equal(new long[] { 1, 3, height, width }, y.Shape);
            return y.ToArray<float>();
        }
        return (Run(Models.Inference.Engine.Torch), Run(Models.Inference.Engine.Onnx));
    }

    /// <summary>
    /// Random weights give outputs of arbitrary scale, so both are mapped by the reference's own range onto 0..255
    /// first: "within one level" then means within 1/255 of the output's spread, whatever its scale.
    /// </summary>
    private static void AssertAgree(float[] reference, float[] actual)
    {
        float min = reference.Min(), max = reference.Max();
        Assert.True(max - min > 1e-3, "the reference output is flat");
        float Level(float v) => (v - min) / (max - min) * 255f;
        PixelComparison.AssertMatches(actual.Select(Level).ToArray(), reference.Select(Level).ToArray());
    }

    private static float[] SwapRedBlue(float[] planar, int plane)
    {
        var swapped = (float[])planar.Clone();
        Array.Copy(planar, 0, swapped, 2 * plane, plane);
        Array.Copy(planar, 2 * plane, swapped, 0, plane);
        return swapped;
    }

    private static double MeanAbsoluteDifference(float[] a, float[] b) => a.Zip(b).Average(p => Math.Abs(Math.Clamp(p.First, 0, 255) - p.Second));
}
