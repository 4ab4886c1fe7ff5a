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

    /// <param name="sizes">What the graph guarantees about this layer's input (see <see cref="EmitAsPhases"/>).</param>
    public string Emit(OnnxGraphBuilder g, string x, EmitSizes sizes = default) =>
        sizes is { Wider: true, Even: true } && _padding == ConvPadding.Reflect && _conv.Stride == 1 && _conv.Groups == 1 && _conv.Kernel >= 5
            ? EmitAsPhases(_conv, g, x)
            : EmitPadAndConvolve(_conv, _padding, g, x, sizes);

    /// <summary>
    /// The same reflection-padded k×k convolution, rewritten for CPU kernels that work on blocks of 16 channels: on the
    /// image's 2x2 space-to-depth (4× the channels at half the size) a ((k+1)/2)² convolution makes each of the four
    /// output phases as its own channels, and depth-to-space puts them back. With 3 or 8 channels the original wastes
    /// most of each block; this does about 25% more multiply-adds but runs them in full blocks. The phase kernels are
    /// computed from the layer's own weights inside the graph (folded to constants when the session starts), so an
    /// exported file still carries the state dict as it is.
    /// </summary>
    private static string EmitAsPhases(Conv2d conv, OnnxGraphBuilder g, string x)
    {
        long k = conv.Kernel, half = (k + 1) / 2, o = conv.Weight.Size(0), c = conv.Weight.Size(1);
        var blocks = g.Node("SpaceToDepth", [ReflectPadding.Emit(g, x, k / 2, wider: true)], OnnxAttribute.Of("blocksize", 2L));
        // Kernel taps i = 2d + q − p for output phase p, input phase q and tap d: a zero on each side, then per phase a
        // window of k + 1 taps regrouped as (d, q).
        var framed = g.Node("Pad", [g.Weight(conv.Weight), g.Ints(0, 0, 1, 1, 0, 0, 1, 1)]);
        var phases = new List<string>();
        for (var py = 0L; py < 2; py++)
        for (var px = 0L; px < 2; px++)
        {
            var window = g.Node("Slice", [framed, g.Ints(1 - py, 1 - px), g.Ints(1 - py + k + 1, 1 - px + k + 1), g.Ints(2, 3)]);
            var taps = g.Node("Reshape", [window, g.Ints(o, c, half, 2, half, 2)]);
            var grouped = g.Node("Transpose", [taps], OnnxAttribute.Of("perm", 0L, 3, 5, 1, 2, 4));
            phases.Add(g.Node("Reshape", [grouped, g.Ints(o, 1, 4 * c, half, half)]));
        }
        var kernel = g.Node("Reshape", [g.Node("Concat", [.. phases], OnnxAttribute.Of("axis", 1L)), g.Ints(4 * o, 4 * c, half, half)]);
        string[] inputs = conv.Bias is { } bias
            ? [blocks, kernel, g.Node("Reshape", [g.Node("Tile", [g.Node("Reshape", [g.Weight(bias), g.Ints(o, 1)]), g.Ints(1, 4)]), g.Ints(4 * o)])]
            : [blocks, kernel];
        var y = g.Node("Conv", inputs, OnnxAttribute.Of("kernel_shape", half, half));
        return g.Node("DepthToSpace", [y], OnnxAttribute.Of("blocksize", 2L), OnnxAttribute.Of("mode", "CRD"));
    }

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
    internal static string EmitPadAndConvolve(Conv2d conv, ConvPadding padding, OnnxGraphBuilder g, string x, EmitSizes sizes = default)
    {
        long p = conv.Kernel / 2;
        if (conv.Kernel == 1 || padding == ConvPadding.Valid) return g.Conv(conv, x);
        return padding switch
        {
            ConvPadding.Zeros => g.Conv(conv, x, OnnxAttribute.Of("pads", p, p, p, p)),
            ConvPadding.Reflect => g.Conv(conv, ReflectPadding.Emit(g, x, p, sizes.Wider)),
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

/// <summary>What a graph guarantees about a layer's input: wider than any of its pads, and of even height and width.</summary>
public readonly record struct EmitSizes(bool Wider, bool Even);
