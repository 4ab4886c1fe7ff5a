using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

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
        using var model = RandomNetworks.Model(config);
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

    [Fact]
    public void BothSidesNumberTheElementTypesAlike()
    {
        // libtorch's own names for the types each code must mean (c10::toString).
        var libtorch = new Dictionary<ScalarType, string>
        {
            [ScalarType.Float32] = "Float", [ScalarType.Float64] = "Double", [ScalarType.Float16] = "Half", [ScalarType.BFloat16] = "BFloat16",
            [ScalarType.UInt8] = "Byte", [ScalarType.Int64] = "Long", [ScalarType.Int32] = "Int", [ScalarType.Bool] = "Bool",
        };
        foreach (var type in Enum.GetValues<ScalarType>())
        {
            Assert.Equal((libtorch[type], (long)type.ElementSize()), type.Native());
            using var made = Torch.Zeros([2], type);
            Assert.Equal(type, made.Dtype);
        }
        Assert.Equal((null, -1L), ((ScalarType)Enum.GetValues<ScalarType>().Length).Native());
    }

    [Fact]
    public void AGradientIsNullBeforeBackwardAndAfterwardsHoldsTheDerivative()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.Full([3], 2.0);
        x.RequiresGrad = true;
        Assert.Null(x.Grad);
        (x * x).Sum().Backward();
        Assert.Equal([4f, 4f, 4f], x.Grad!.ToArray<float>());
    }
}
