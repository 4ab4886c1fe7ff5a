using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

public class TensorLifetimeTests
{
    [Fact]
    public void ScopeFreesWhatItCreatedExceptWhatMovesOut()
    {
        Tensor kept, dropped;
        using (var outer = Torch.NewDisposeScope())
        {
            using (var inner = Torch.NewDisposeScope())
            {
                dropped = Torch.Ones([2, 2]) * 3.0;
                kept = (Torch.Ones([2, 2]) + 1.0).MoveToOuterScope();
                Assert.Equal(3, inner.Count); // two Ones, the product and the sum, less the one moved out
            }
            Assert.True(dropped.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(new float[] { 2, 2, 2, 2 }, kept.ToArray<float>());
        }
        Assert.True(kept.IsDisposed);
    }

    [Theory]
    [InlineData("fst")]
    [InlineData("full")]
    [InlineData("slim")]
    [InlineData("mobile")]
    public void OutputSizeEqualsInputSizeForAnySize(string arch)
    {
        using var net = new TransformNet(TransformNetConfig.Preset(arch));
        using var noGrad = Torch.NoGrad();
        foreach (var (h, w) in new[] { (1, 1), (5, 3), (17, 31), (32, 24), (33, 30) })
        {
            using var scope = Torch.NewDisposeScope();
            Assert.Equal(new long[] { 1, 3, h, w }, net.Forward(Torch.Rand([1, 3, h, w])).Shape);
        }
    }

    [Fact]
    public void RecyclingReusesDisposedWrappersOnlyWhileOpen()
    {
        var outside = Torch.Ones([2]);
        outside.Dispose();
        using (var fresh = Torch.Ones([2])) Assert.NotSame(outside, fresh);

        using (Torch.RecycleTensors())
        {
            var first = Torch.Ones([2]);
            first.Dispose();
            using var second = Torch.Full([3], 7);
            Assert.Same(first, second);
            Assert.Equal(new float[] { 7, 7, 7 }, second.ToArray<float>());
        }
    }

    [Fact]
    public void ARecycledWrapperBelongsToItsNewOwnerNotToTheScopeOfItsFirstLife()
    {
        Tensor early, kept;
        using (Torch.RecycleTensors())
        {
            using (Torch.NewDisposeScope())
            {
                early = Torch.Ones([2]);
                early.Dispose();
                kept = Torch.Full([2], 5).DetachFromScope(); // the scope's list now holds this wrapper twice
            }
            Assert.Same(early, kept);
            Assert.False(kept.IsDisposed);
            Assert.Equal(new float[] { 5, 5 }, kept.ToArray<float>());
            kept.Dispose();
        }
    }

}

/// <summary>Runs alone (no other test allocating at the same time), so resident memory reflects this loop only.</summary>
[Collection(Serial.Name)]
public class MemoryTests
{
    [Fact]
    public void ThousandSmallStylizationsDoNotGrowResidentMemory()
    {
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        var frame = TestImages.Gradient(64, 64);

        void Run(int frames)
        {
            for (var i = 0; i < frames; i++)
            {
                using var scope = Torch.NewDisposeScope();
                _ = ImageTensors.ToImage(model.Stylize(ImageTensors.ToTensor(frame)), frame);
            }
        }

        Run(100); // warm-up: allocator pools and oneDNN primitive caches fill here
        var before = Memory.Resident();
        Run(1000);
        var growth = Memory.Resident() - before;
        // One leaked 64x64 frame's activations are ~1 MB; 1000 leaked frames would be gigabytes. 16 MB allows allocator noise.
        Assert.True(growth < 16L << 20, $"resident memory grew by {growth >> 20} MB over 1000 frames");
    }

}
