using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Models.Networks;

/// <summary>A convolution with its border rule: "same" geometry (output = ceil(input / stride)) unless <see cref="ConvPadding.Valid"/>.</summary>
public sealed class ConvLayer : Module
{
    private readonly Conv2d _conv;
    private readonly ConvPadding _padding;

    public ConvLayer(int inChannels, int outChannels, int kernel, int stride, ConvPadding padding, bool bias, int groups = 1)
    {
        _padding = padding;
        _conv = RegisterModule("conv2d", new Conv2d(inChannels, outChannels, kernel, stride, bias, groups));
    }

    public override Tensor Forward(Tensor x) => PadAndConvolve(_conv, _padding, x);

    public string Emit(OnnxGraphBuilder g, string x) => EmitPadAndConvolve(_conv, _padding, g, x);

    internal static Tensor PadAndConvolve(Conv2d conv, ConvPadding padding, Tensor x)
    {
        int k = conv.Kernel, s = conv.Stride;
        if (k == 1 || padding == ConvPadding.Valid) return conv.Forward(x);
        if (padding == ConvPadding.Zeros) return conv.Forward(x, k / 2, k / 2);
        if (padding == ConvPadding.Reflect)
        {
            using var reflected = ReflectPadding.Pad(x, k / 2);
            return conv.Forward(reflected);
        }

        var (top, bottom) = SamePadding((int)x.Size(2), k, s);
        var (left, right) = SamePadding((int)x.Size(3), k, s);
        if (top == bottom && left == right) return conv.Forward(x, top, left);
        using var zeroPadded = Pad2d(x, left, right, top, bottom, PaddingMode.Zeros);
        return conv.Forward(zeroPadded);
    }

    /// <summary>The same convolution as an ONNX node; TensorFlow's rule is ONNX's SAME_UPPER (the odd pixel at the end).</summary>
    internal static string EmitPadAndConvolve(Conv2d conv, ConvPadding padding, OnnxGraphBuilder g, string x)
    {
        long p = conv.Kernel / 2;
        if (conv.Kernel == 1 || padding == ConvPadding.Valid) return g.Conv(conv, x);
        return padding switch
        {
            ConvPadding.Zeros => g.Conv(conv, x, OnnxAttribute.Of("pads", p, p, p, p)),
            ConvPadding.Reflect => g.Conv(conv, ReflectPadding.Emit(g, x, p)),
            _ => g.Conv(conv, x, OnnxAttribute.Of("auto_pad", "SAME_UPPER")),
        };
    }

    /// <summary>TensorFlow's "SAME" rule: total padding so that output = ceil(n / s), the odd pixel at the end.</summary>
    public static (int Before, int After) SamePadding(int n, int kernel, int stride)
    {
        var output = (n + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + kernel - n, 0);
        return (total / 2, total - total / 2);
    }
}
