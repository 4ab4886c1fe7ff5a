using LiveStyle.Tensors;
using LiveStyle.Tests.Support;
using LiveStyle.Train.Loss;

namespace LiveStyle.Tests.Training;

/// <summary>
/// Why SqueezeNet-trained networks painted a grid, and what --loss-scale changes. conv1 is a 3x3
/// convolution with stride 2 and no padding: every output sample sees a pixel-period checker in the
/// same phase, so the checker only shifts conv1's features by a constant (exactly, not approximately)
/// and is no texture at all to the Gram loss. Enlarged twice first, the checker becomes a period-4
/// pattern that the stride-2 samples see in alternating phases: real texture, which the style loss
/// then judges against the painting.
/// </summary>
public sealed class LossScaleTests
{
    [Fact]
    public void AtScaleOneSqueezeNetCannotSeeAPixelCheckerAtScaleTwoItCan()
    {
        using var net = LossNetworks.Open(TestPaths.WindowsMl("SqueezeNet_fp16.onnx"));
        const int size = 32;
        var pixels = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
            pixels[(c * size + y) * size + x] = 128 + ((x + y) % 2 == 0 ? 30 : -30);
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var checker = Torch.FromArray(pixels, 1, 3, size, size);

        var seenAtOne = PerceptualRecipe.Of("conv1", "conv1", 1, 1, 0).Features(net, checker, ["conv1"])[0];
        var seenAtTwo = PerceptualRecipe.Of("conv1", "conv1", 1, 1, 0, lossScale: 2).Features(net, checker, ["conv1"])[0];

        Assert.True(SpatialSpread(seenAtOne) < 1e-3, $"at scale 1 conv1 varies by {SpatialSpread(seenAtOne):G3} over a checker");
        Assert.True(SpatialSpread(seenAtTwo) > 1, $"at scale 2 conv1 varies by only {SpatialSpread(seenAtTwo):G3} over a checker");
    }

    /// <summary>The largest standard deviation over positions of any channel, ignoring the outermost samples (the border replicates).</summary>
    private static double SpatialSpread(Tensor features)
    {
        int c = (int)features.Size(1), h = (int)features.Size(2), w = (int)features.Size(3);
        var values = features.ToArray<float>();
        double worst = 0;
        for (var ch = 0; ch < c; ch++)
        {
            var inner = new List<double>();
            for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
                inner.Add(values[(ch * h + y) * w + x]);
            var mean = inner.Average();
            worst = Math.Max(worst, Math.Sqrt(inner.Average(v => (v - mean) * (v - mean))));
        }
        return worst;
    }
}
