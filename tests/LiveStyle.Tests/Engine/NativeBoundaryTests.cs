using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;

namespace LiveStyle.Tests.Engine;

/// <summary>Misuse of the tensor API through its public surface ends in exceptions, never in a dead process.</summary>
public sealed class NativeBoundaryTests
{
    [Fact]
    public void BadArgumentsThrowInsteadOfAbortingTheProcess()
    {
        using var scope = Torch.NewDisposeScope();
        var image = Torch.Zeros([3, 8, 8]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Size(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Size(-4));
        Assert.Throws<TorchException>(() => Torch.Threads = 0);
        Assert.True(Torch.Threads >= 1);

        var config = TransformNetConfig.Mobile;
        using var model = StyleModel.FromNetwork(new TransformNet(config), new ModelInfo(config, "random", "test", new Dictionary<string, string>()), Device.Cpu, Precision.Fp32);
        Assert.Throws<ArgumentException>(() => model.Stylize(image)); // 3-D, not [N, 3, H, W]

        var gone = Torch.Zeros([2]);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gone.Size(0));
        Assert.Throws<ObjectDisposedException>(() => gone + gone);
    }

    [Fact]
    public void BothSidesNumberTheOpsAlike()
    {
        // An op added on one side only shifts or extends one list and fails here.
        Assert.Equal(Enum.GetNames<UnaryOp>().Select(n => n.ToLowerInvariant()), OpCodes.NativeNames(0));
        Assert.Equal(Enum.GetNames<BinaryOp>().Select(n => n.ToLowerInvariant()), OpCodes.NativeNames(1));
        Assert.Equal(Enum.GetNames<ScalarOp>().Select(n => n.ToLowerInvariant()), OpCodes.NativeNames(2));
    }
}
