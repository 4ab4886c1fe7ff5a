using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// `bench --pytorch` and `bench train --pytorch` compare against bench/pytorch_eager.py's networks; a
/// comparison means something only if that is the network LiveStyle runs. Same weights, same input,
/// the same output within one 8-bit level.
/// </summary>
public sealed class BenchNetworkParityTests
{
    // Not a multiple of 4: mobile's replicate padding to its unshuffle factor and the crop back are exercised.
    private const int Height = 30, Width = 42;

    [Theory]
    [InlineData("mobile")]
    [InlineData("slim")]
    public void PyTorchBenchNetworkIsLiveStylesNetwork(string arch)
    {
        using var dir = new TempDir();
        var image = TestImages.Photo(Width, Height, "golden_gate.jpg");
        float[] input;
        using (var t = ImageTensors.ToTensor(image)) input = t.ToArray<float>();
        var expected = PyTorchFixtures.MakeBenchNetwork(dir.Path, arch, input, Height, Width);

        var config = TransformNetConfig.Preset(arch);
        var info = new ModelInfo(config, arch, "bench/pytorch_eager.py", new Dictionary<string, string>());
        using var model = StyleModel.FromWeights(new Weights(info, PthFile.ReadStateDict(dir["model.pth"])), Device.Cpu, Precision.Fp32);
        using var x = Torch.FromArray(input, 1, 3, Height, Width);
        using var y = model.Stylize(x);

        PixelComparison.AssertMatches(y.ToArray<float>(), expected);
        Assert.True(expected.Max() - expected.Min() > 20, "the reference output should not be flat");
    }
}
