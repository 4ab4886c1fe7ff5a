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
    public void IndexSelectBackwardUsesTheIndexAsItWasAtTheCall()
    {
        // Autograd keeps the index for backward; the caller's array may change or move after the call
        // (the GC compacts), so the binding must have copied it.
        using var scope = Torch.NewDisposeScope();
        var x = Torch.FromArray(new float[] { 10, 20, 30 }, 3);
        x.RequiresGrad = true;
        var index = new long[] { 2, 0 };
        var picked = x.IndexSelect(0, index);
        Array.Fill(index, 1);
        (picked * Torch.FromArray(new float[] { 1, 2 }, 2)).Sum().Backward();
        Assert.Equal(new float[] { 2, 0, 1 }, x.Grad!.ToArray<float>());
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

    [Fact]
    public void MixedPrecisionGradientsReachTheFloat32WeightsThroughEveryLayer()
    {
        // bf16 activations from float32 weights: the gradients must arrive in float32, on every weight, and
        // point where the all-float32 gradients point. bf16 keeps 8 mantissa bits (~0.4% per rounding), but
        // instance norm's backward subtracts nearly equal terms, so elementwise errors reach several percent;
        // what Adam needs is the direction and the size: cosine > 0.99 and a norm within 10%.
        Torch.ManualSeed(5);
        using var conv = new Conv2d(3, 4, 3, bias: false); // a bias before instance norm has a zero gradient: nothing to compare
        using var norm = new InstanceNorm2d(4, 1e-5);
        using var up = new ConvTranspose2d(4, 3, 3, 2);
        Module[] layers = [conv, norm, up];
        foreach (var layer in layers) layer.SetRequiresGrad(true);
        using var input = Torch.Rand([2, 3, 10, 10]);

        float[][] Gradients(ScalarType dtype)
        {
            using var scope = Torch.NewDisposeScope();
            foreach (var layer in layers) foreach (var p in layer.Parameters()) p.ZeroGrad();
            var y = up.Forward(norm.Forward(conv.Forward(input.To(dtype)))).To(ScalarType.Float32);
            (y * y).Mean().Backward();
            return layers.SelectMany(l => l.Parameters()).Select(p =>
            {
                Assert.Equal(ScalarType.Float32, p.Dtype);
                Assert.Equal(ScalarType.Float32, p.Grad!.Dtype);
                return p.Grad!.ToArray<float>();
            }).ToArray();
        }

        var exact = Gradients(ScalarType.Float32);
        var mixed = Gradients(ScalarType.BFloat16);
        for (var i = 0; i < exact.Length; i++)
        {
            double dot = 0, exactNorm = 0, mixedNorm = 0;
            for (var k = 0; k < exact[i].Length; k++)
            {
                dot += (double)exact[i][k] * mixed[i][k];
                exactNorm += Math.Pow(exact[i][k], 2);
                mixedNorm += Math.Pow(mixed[i][k], 2);
            }
            Assert.True(exactNorm > 0 && mixedNorm > 0, $"parameter {i} got no gradient");
            var cosine = dot / Math.Sqrt(exactNorm * mixedNorm);
            Assert.True(cosine > 0.99, $"parameter {i}: cosine {cosine:F4} between bf16 and float32 gradients");
            Assert.InRange(Math.Sqrt(mixedNorm / exactNorm), 0.9, 1.1);
        }
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
