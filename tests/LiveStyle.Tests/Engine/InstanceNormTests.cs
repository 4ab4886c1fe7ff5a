using LiveStyle.Tensors;

namespace LiveStyle.Tests.Engine;

/// <summary>The GPU's instance norm (reductions and one broadcast multiply-add) against libtorch's own, on the CPU.</summary>
public sealed class InstanceNormTests
{
    private static Tensor Input()
    {
        // Channel 0 random, channel 1 constant (zero spread), channel 2 a large mean with a small spread.
        var rng = new Random(3);
        var values = new float[2 * 3 * 9 * 11];
        for (var n = 0; n < 2; n++)
        for (var i = 0; i < 99; i++)
        {
            var b = n * 297;
            values[b + i] = (float)(rng.NextDouble() * 40 - 20);
            values[b + 99 + i] = 7.5f;
            values[b + 198 + i] = 3000 + (float)rng.NextDouble();
        }
        return Torch.FromArray(values, 2, 3, 9, 11);
    }

    [Fact]
    public void ReductionFormMatchesLibtorchsInstanceNorm()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Input();
        var weight = Torch.FromArray(new float[] { 1.5f, -0.5f, 2 }, 3);
        var bias = Torch.FromArray(new float[] { 0.25f, 3, -1 }, 3);
        var expected = Functional.InstanceNorm(x, weight, bias, 1e-5).ToArray<float>();
        var actual = Functional.InstanceNormByReduction(x, weight, bias, 1e-5).ToArray<float>();
        // Normalised values are O(1): float32 arithmetic in a different order differs by a few ulps, and
        // channel 2's spread (about 0.3 on a mean of 3000) leaves float32 about 1e-3 relative.
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 2e-3);
        // The constant channel becomes its bias, which also shows the weights were applied per channel.
        Assert.Equal(3f, actual[99], 1e-4);
    }

    [Fact]
    public void GradientsStayFiniteOnAConstantChannel()
    {
        // Training differentiates through the statistics: a standard deviation's gradient is infinite at zero
        // spread, the variance's is not, so float32 and bf16 reduce to the variance.
        using var scope = Torch.NewDisposeScope();
        var x = Input();
        x.RequiresGrad = true;
        var y = Functional.InstanceNormByReduction(x, Torch.Ones([3]), Torch.Zeros([3]), 1e-5);
        (y * y).Sum().Backward();
        Assert.All(x.Grad!.ToArray<float>(), g => Assert.True(float.IsFinite(g)));
    }
}
