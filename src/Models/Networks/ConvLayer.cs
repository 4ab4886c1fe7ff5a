using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Models.Networks;

/// <summary>A convolution that keeps "same" geometry (output = ceil(input / stride)) with the configured border rule.</summary>
public sealed class ConvLayer : Module
{
    private readonly Conv2d _conv;
    private readonly BorderPadding _padding;

    public ConvLayer(int inChannels, int outChannels, int kernel, int stride, BorderPadding padding, bool bias, int groups = 1)
    {
        _padding = padding;
        _conv = RegisterModule("conv2d", new Conv2d(inChannels, outChannels, kernel, stride, bias, groups));
    }

    public override Tensor Forward(Tensor x) => PadAndConvolve(_conv, _padding, x);

    internal static Tensor PadAndConvolve(Conv2d conv, BorderPadding padding, Tensor x)
    {
        int k = conv.Kernel, s = conv.Stride;
        if (k == 1) return conv.Forward(x);
        if (padding == BorderPadding.Reflect)
        {
            // Reflection needs the border to be wider than the pad; tiny inputs (a few pixels) fall back to replicating it.
            var mode = x.Size(2) > k / 2 && x.Size(3) > k / 2 ? PaddingMode.Reflect : PaddingMode.Replicate;
            using var reflected = Pad2d(x, k / 2, k / 2, k / 2, k / 2, mode);
            return conv.Forward(reflected);
        }

        var (top, bottom) = SamePadding((int)x.Size(2), k, s);
        var (left, right) = SamePadding((int)x.Size(3), k, s);
        if (top == bottom && left == right) return conv.Forward(x, top, left);
        using var zeroPadded = Pad2d(x, left, right, top, bottom, PaddingMode.Zeros);
        return conv.Forward(zeroPadded);
    }

    /// <summary>TensorFlow's "SAME" rule: total padding so that output = ceil(n / s), the odd pixel at the end.</summary>
    public static (int Before, int After) SamePadding(int n, int kernel, int stride)
    {
        var output = (n + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + kernel - n, 0);
        return (total / 2, total - total / 2);
    }
}
