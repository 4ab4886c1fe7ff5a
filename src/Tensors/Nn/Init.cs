namespace LiveStyle.Tensors.Nn;

/// <summary>PyTorch's default layer initialisation: uniform in ±1/sqrt(fan_in).</summary>
internal static class Init
{
    public static Tensor Uniform(long[] shape, long fanIn)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var u = Torch.Rand(shape).DetachFromScope();
        using var scaled = (u * (2 * bound)).DetachFromScope();
        return scaled - bound;
    }
}
