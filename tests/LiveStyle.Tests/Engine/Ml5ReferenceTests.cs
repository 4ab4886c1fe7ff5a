using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>The ml5 'wave' network on each engine against the naive float32 re-implementation of the TensorFlow graph.</summary>
public class Ml5ReferenceTests
{
    [Theory]
    [InlineData(36, 28, Models.Inference.Engine.Auto)]   // divisible by 4: exactly fast-style-transfer's own geometry
    [InlineData(23, 17, Models.Inference.Engine.Auto)]   // odd: SAME padding is asymmetric and the decoder crops back to the input size
    [InlineData(36, 28, Models.Inference.Engine.Torch)]
    [InlineData(23, 17, Models.Inference.Engine.Torch)]
    public void WaveMatchesIndependentReferenceWithinOneLevel(int width, int height, Models.Inference.Engine engine)
    {
        var image = TestImages.Photo(width, height);
        var expected = new NaiveFastStyleTransfer(TestPaths.Ml5("wave")).Run(TestImages.ToMap(image));

        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32, engine);
        Assert.Equal(engine == Models.Inference.Engine.Auto ? Models.Inference.Engine.Onnx : engine, model.Engine.Kind);
        using var scope = Torch.NewDisposeScope();
        var output = model.Stylize(ImageTensors.ToTensor(image));

        Assert.Equal(new long[] { 1, 3, height, width }, output.Shape);
        var actual = output.ToArray<float>();
        PixelComparison.AssertMatches(actual, expected.Data);
        Assert.True(PixelComparison.Psnr(actual, expected.Data) >= 40, $"PSNR {PixelComparison.Psnr(actual, expected.Data):F1} dB");
        // Not trivially equal because both are constant: a style network output varies across the image.
        Assert.True(actual.Max() - actual.Min() > 50);
    }

    [Fact]
    public void ImporterPermutesTensorFlowKernelsToTorchLayout()
    {
        var weights = Ml5Checkpoint.Read(TestPaths.Ml5("wave"));
        var raw = File.ReadAllBytes(Path.Combine(TestPaths.Ml5("wave"), "Variable"));
        var tf = new float[raw.Length / 4];
        Buffer.BlockCopy(raw, 0, tf, 0, raw.Length);
        var conv1 = weights["conv1.conv2d.weight"];
        Assert.Equal(new long[] { 32, 3, 9, 9 }, conv1.Shape);
        // torch[o, i, ky, kx] == tf[ky, kx, i, o]
        foreach (var (o, i, ky, kx) in new[] { (0, 0, 0, 0), (31, 2, 8, 8), (5, 1, 3, 7) })
            Assert.Equal(tf[((ky * 9 + kx) * 3 + i) * 32 + o], conv1.Data[((o * 3 + i) * 9 + ky) * 9 + kx]);
        Assert.Equal(new long[] { 128, 64, 3, 3 }, weights["deconv1.conv2d.weight"].Shape);
        Assert.Equal(new long[] { 3 }, weights["in6.weight"].Shape);
    }
}
