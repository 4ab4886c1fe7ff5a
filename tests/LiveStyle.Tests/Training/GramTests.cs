using LiveStyle.Tensors;
using LiveStyle.Train.Loss;

namespace LiveStyle.Tests.Training;

public sealed class GramTests
{
    [Fact]
    public void GramMatchesTheDefinitionAndItsGradientMatchesTheMatrixProducts()
    {
        // float32 sums of 30 products of values in [0, 1): relative rounding error well under 1e-5.
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(9);
        const int b = 2, c = 3, h = 5, w = 6;
        var features = Torch.Rand([b, c, h, w]);
        features.RequiresGrad = true;
        var values = features.ToArray<float>();

        var gram = StyleLosses.Gram(features);
        Assert.Equal(new long[] { b, c, c }, gram.Shape);
        var actual = gram.ToArray<float>();
        for (var n = 0; n < b; n++)
        for (var i = 0; i < c; i++)
        for (var j = 0; j < c; j++)
        {
            double sum = 0;
            for (var p = 0; p < h * w; p++) sum += (double)values[(n * c + i) * h * w + p] * values[(n * c + j) * h * w + p];
            var expected = sum / (c * h * w);
            Assert.Equal(expected, actual[(n * c + i) * c + j], expected * 1e-5);
        }

        // d/dF Σ G² through the convolution against the same through plain matrix products.
        (gram * gram).Sum().Backward();
        var viaConvolution = features.Grad!.ToArray<float>();
        features.ZeroGrad();
        var f = features.Reshape(b, c, h * w);
        var reference = f.MatMul(f.Permute(0, 2, 1)) / (c * h * w);
        (reference * reference).Sum().Backward();
        var viaMatMul = features.Grad!.ToArray<float>();
        for (var k = 0; k < viaMatMul.Length; k++) Assert.Equal(viaMatMul[k], viaConvolution[k], Math.Abs(viaMatMul[k]) * 1e-4 + 1e-9);
    }
}
