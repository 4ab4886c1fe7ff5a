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
    public string Emit(OnnxGraphBuilder g, string x, EmitSizes sizes = default)
    {
        var o = _conv.Weight.Size(0);
        if (EmitPhases(g, x, sizes) is { } phases) return g.PixelShuffle(phases, o, 2);
        // At any size, zero padding takes one more zero row and column at the end, so an odd size gets a phase too many, cropped.
        if (ZeroPaddedOntoFew && !sizes.Even)
            return g.CropSpatial(g.PixelShuffle(EmitAsPhases(_conv, ConvPadding.Zeros, g, x, extraEnd: 1), o, 2), g.Ints(0, 0), g.SpatialSize(x));
        return EmitPadAndConvolve(_conv, _padding, g, x, sizes);
    }

    /// <summary>The output as its four 2x2 phases (pixel_unshuffle's channel order) where this layer is computed that way (see <see cref="EmitAsPhases"/>), else null.</summary>
    public string? EmitPhases(OnnxGraphBuilder g, string x, EmitSizes sizes) =>
        sizes.Even && (_padding == ConvPadding.Reflect && sizes.Wider && _conv is { Stride: 1, Groups: 1, Kernel: >= 5 } || ZeroPaddedOntoFew)
            ? EmitAsPhases(_conv, _padding == ConvPadding.Reflect ? ConvPadding.Reflect : ConvPadding.Zeros, g, x)
            : null;

    /// <summary>
    /// A large stride-1 kernel padded with zeros on every side alike (TensorFlow's "SAME" is that for stride 1 and an odd
    /// kernel) onto fewer channels than a 16-channel block holds.
    /// </summary>
    private bool ZeroPaddedOntoFew =>
        _conv is { Stride: 1, Groups: 1, Kernel: >= 5 } && _conv.Kernel % 2 == 1 && _conv.Weight.Size(0) < 16
        && _padding is ConvPadding.Zeros or ConvPadding.TensorFlowSame;

    /// <summary>Whether <see cref="EmitFromPhases"/> can compute this layer.</summary>
    public bool ReadsPhases => _padding == ConvPadding.Reflect && _conv is { Stride: 2, Kernel: 3, Groups: 1 };

    /// <summary>
    /// This reflection-padded stride-2 3x3 convolution, read straight from its input's four 2x2 phases (pixel_unshuffle's
    /// order), so the full-size input is never assembled. Output pixel i sees input pixels 2i − 1, 2i and 2i + 1: phase 1
    /// of i − 1, phase 0 of i and phase 1 of i, so it is a 2x2 convolution over the phases; the reflected pixel −1 is
    /// pixel 1, phase 1 of 0, which an edge pad of one on the top and left supplies. Even sizes need nothing at the bottom.
    /// </summary>
    public string EmitFromPhases(OnnxGraphBuilder g, string phases)
    {
        long o = _conv.Weight.Size(0), c = _conv.Weight.Size(1);
        // Row (phase q, tap a) of the 2x2 kernel takes original tap: (0, 0) none, (0, 1) w₁, (1, 0) w₀, (1, 1) w₂.
        var select = g.Floats([4, 3], 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1);
        var taps = g.Node("MatMul", [g.Node("MatMul", [select, g.Weight(_conv.Weight)]), g.Node("Transpose", [select])]);
        var byPhase = g.Node("Transpose", [g.Node("Reshape", [taps, g.Ints(o, c, 2, 2, 2, 2)])], OnnxAttribute.Of("perm", 0L, 1, 2, 4, 3, 5));
        var kernel = g.Node("Reshape", [byPhase, g.Ints(o, 4 * c, 2, 2)]);
        var padded = g.Node("Pad", [phases, g.Ints(0, 0, 1, 1, 0, 0, 0, 0)], OnnxAttribute.Of("mode", "edge"));
        return g.Node("Conv", _conv.Bias is { } bias ? [padded, kernel, g.Weight(bias)] : [padded, kernel], OnnxAttribute.Of("kernel_shape", 2L, 2L));
    }

    /// <summary>
    /// The same reflection- or zero-padded k×k convolution, rewritten for CPU kernels that work on blocks of 16 channels: a
    /// stride-2 convolution makes each of the four 2x2 output phases as its own channels and a pixel shuffle puts them
    /// back. Output pixel (2i + p, 2j + q) is input window (2i, 2j) of size k + 1 under the kernel shifted by (p, q)
    /// (a zero row and column on the other side). With 3 or 8 channels the original wastes most of each block; this does
    /// about 25% more multiply-adds but runs them in full blocks. The phase kernels are computed from the layer's own
    /// weights inside the graph (folded to constants when the session starts), so an exported file still carries the
    /// state dict as it is.
    /// </summary>
    /// <param name="extraEnd">Zero rows and columns added at the end beyond the padding (zero padding only).</param>
    private static string EmitAsPhases(Conv2d conv, ConvPadding padding, OnnxGraphBuilder g, string x, long extraEnd = 0)
    {
        long k = conv.Kernel;
        var framed = g.Node("Pad", [g.Weight(conv.Weight), g.Ints(0, 0, 1, 1, 0, 0, 1, 1)]);
        var phases = new List<string>();
        for (var py = 0L; py < 2; py++)
        for (var px = 0L; px < 2; px++)
            phases.Add(g.Node("Slice", [framed, g.Ints(1 - py, 1 - px), g.Ints(1 - py + k + 1, 1 - px + k + 1), g.Ints(2, 3)]));
        var (o, c, bias) = (conv.Weight.Size(0), conv.Weight.Size(1), conv.Bias);
        return padding == ConvPadding.Reflect
            ? EmitPhaseConv(g, ReflectPadding.Emit(g, x, k / 2, wider: true), phases, o, c, bias, k + 1, stride: 2)
            : EmitPhaseConv(g, x, phases, o, c, bias, k + 1, stride: 2, OnnxAttribute.Of("pads", k / 2, k / 2, k / 2 + extraEnd, k / 2 + extraEnd));
    }

    /// <summary>
    /// A convolution whose output channels are the four 2x2 output phases of each of a layer's <paramref name="o"/> channels
    /// (pixel_unshuffle's order): <paramref name="phases"/> are the kernels [o, c, size, size] of phases (0,0), (0,1), (1,0), (1,1).
    /// </summary>
    internal static string EmitPhaseConv(OnnxGraphBuilder g, string x, IReadOnlyList<string> phases, long o, long c, Tensor? bias, long size, long stride,
        params OnnxAttribute[] padding)
    {
        var stacked = g.Node("Concat", [.. phases.Select(p => g.Node("Reshape", [p, g.Ints(o, 1, c, size, size)]))], OnnxAttribute.Of("axis", 1L));
        var kernel = g.Node("Reshape", [stacked, g.Ints(4 * o, c, size, size)]);
        string[] inputs = bias != null
            ? [x, kernel, g.Node("Reshape", [g.Node("Tile", [g.Node("Reshape", [g.Weight(bias), g.Ints(o, 1)]), g.Ints(1, 4)]), g.Ints(4 * o)])]
            : [x, kernel];
        return g.Node("Conv", inputs, [OnnxAttribute.Of("kernel_shape", size, size), OnnxAttribute.Of("strides", stride, stride), .. padding]);
    }

    /// <summary>
    /// The four phase kernels Sₚ · W · S_qᵀ for phases (0,0), (0,1), (1,0), (1,1): <paramref name="select"/> holds, per
    /// phase, the [taps, k] matrix whose row says which of <paramref name="weight"/>'s k taps (on its last two axes) a new
    /// tap sums. Folded to constants when the session starts.
    /// </summary>
    internal static IReadOnlyList<string> MergedTaps(OnnxGraphBuilder g, string weight, long taps, long k, float[][] select)
    {
        var rows = select.Select(values => g.Floats([taps, k], values)).ToArray();
        var columns = rows.Select(r => g.Node("Transpose", [r])).ToArray();
        return [.. from py in rows from px in columns select g.Node("MatMul", [g.Node("MatMul", [py, weight]), px])];
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
