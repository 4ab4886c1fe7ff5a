using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using LiveStyle.Tensors.Optim;

namespace LiveStyle.Tests.Engine;

public class AutogradTests
{
    [Fact]
    public void BackwardGivesTheAnalyticGradient()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.FromArray(new float[] { 1, -2, 3 }, 3);
        x.RequiresGrad = true;
        (x * x).Sum().Backward(); // d/dx sum(x^2) = 2x
        Assert.Equal(new float[] { 2, -4, 6 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void FirstAdamStepMovesEachParameterByTheLearningRate()
    {
        // After one step m̂ = g and v̂ = g², so the update is lr·g/(|g| + eps) ≈ lr·sign(g).
        using var scope = Torch.NewDisposeScope();
        var p = Torch.FromArray(new float[] { 1, -0.5f }, 2);
        p.RequiresGrad = true;
        using var adam = new Adam([p], lr: 0.01);
        (p * p).Sum().Backward();
        adam.StepOnce();
        var after = p.ToArray<float>();
        Assert.Equal(0.99f, after[0], 5);
        Assert.Equal(-0.49f, after[1], 5);
    }

    [Fact]
    public void TrainingAConvolutionLowersItsLoss()
    {
        Torch.ManualSeed(7);
        using var conv = new Conv2d(3, 3, 3);
        conv.SetRequiresGrad(true);
        using var adam = new Adam(conv.Parameters(), lr: 0.05);
        using var input = Torch.Rand([2, 3, 8, 8]);
        using var target = Torch.Rand([2, 3, 6, 6]);
        double first = 0, last = 0;
        for (var i = 0; i < 60; i++)
        {
            using var scope = Torch.NewDisposeScope();
            adam.ZeroGrad();
            var loss = Functional.MseLoss(conv.Forward(input), target);
            loss.Backward();
            adam.StepOnce();
            if (i == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.True(last < first * 0.5, $"loss went from {first} to {last}");
    }
}

public class PaddingTests
{
    [Theory]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    public void ReducedPrecisionPaddingMatchesLibtorchFloatPadding(PaddingMode mode)
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.FromArray(Enumerable.Range(0, 2 * 5 * 6).Select(i => (float)i).ToArray(), 1, 2, 5, 6);
        var expected = Functional.Pad2d(x, 3, 1, 2, 4, mode).ToArray<float>();
        var bf16 = Functional.Pad2d(x.To(ScalarType.BFloat16), 3, 1, 2, 4, mode).To(ScalarType.Float32);
        Assert.Equal(new long[] { 1, 2, 11, 10 }, bf16.Shape);
        Assert.Equal(expected, bf16.ToArray<float>()); // integers below 256 are exact in bf16
    }
}
