using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Models.Networks;

/// <summary>
/// Doubles resolution to exactly the encoder's size at this depth, so odd inputs come back at
/// their own size. A transposed convolution follows TensorFlow's conv2d_transpose with "SAME"
/// padding (crop the full result starting at floor(pad/2)); nearest-then-conv crops the
/// upsampled map from the top-left, which for sizes divisible by 4 is exactly the original network.
/// Johnson's layout uses Torch7's geometry instead: always 2n, the full result cropped from 1.
/// </summary>
public sealed class UpsampleLayer : Module
{
    private readonly ConvTranspose2d? _transposed;
    private readonly Conv2d? _conv;
    private readonly ConvPadding _padding;
    private readonly bool _torch7;

    public UpsampleLayer(int inChannels, int outChannels, TransformNetConfig config)
    {
        _padding = config.EdgePadding;
        _torch7 = config.Padding == BorderPadding.ReflectMargin;
        if (config.Upsample == UpsampleKind.TransposedConv)
            _transposed = RegisterModule("conv2d", new ConvTranspose2d(inChannels, outChannels, 3, 2, config.ConvBias));
        else
            _conv = RegisterModule("conv2d", new Conv2d(inChannels, outChannels, 3, 1, config.ConvBias));
    }

    public override Tensor Forward(Tensor x) => Forward(x, x.Size(2) * 2, x.Size(3) * 2);

    public Tensor Forward(Tensor x, long height, long width)
    {
        if (_transposed != null)
        {
            using var full = _transposed.Forward(x);
            long top = _torch7 ? 1 : (full.Size(2) - height) / 2, left = _torch7 ? 1 : (full.Size(3) - width) / 2;
            using var rows = full.Narrow(2, top, height);
            return rows.Narrow(3, left, width);
        }

        using var up = UpsampleNearest(x, x.Size(2) * 2, x.Size(3) * 2);
        if (up.Size(2) == height && up.Size(3) == width) return ConvLayer.PadAndConvolve(_conv!, _padding, up);
        using var cropRows = up.Narrow(2, 0, height);
        using var crop = cropRows.Narrow(3, 0, width);
        return ConvLayer.PadAndConvolve(_conv!, _padding, crop);
    }

    /// <param name="target">The value whose height and width the result takes; null for twice the input's.</param>
    public string Emit(OnnxGraphBuilder g, string x, string? target, EmitSizes sizes = default)
    {
        if (_transposed != null)
        {
            if (_transposed is { Kernel: 3, Stride: 2 })
            {
                if (_torch7) return EmitTransposedAsPhases(_transposed, g, x, fromOne: true);
                // The phases make the full result and one zero-input pixel more (2n + 2 against 2n + 1), which the crop leaves.
                var phases = EmitTransposedAsPhases(_transposed, g, x, fromOne: false);
                var wanted = g.SpatialSize(target!);
                var from = g.Node("Div", [g.Node("Sub", [g.Node("Sub", [g.SpatialSize(phases), g.Ints(1)]), wanted]), g.Ints(2)]);
                return g.CropSpatial(phases, from, g.Node("Add", [from, wanted]));
            }
            var full = g.ConvTranspose(_transposed, x);
            if (_torch7) return g.CropSpatial(full, g.Ints(1, 1), g.Ints(long.MaxValue, long.MaxValue));
            var size = g.SpatialSize(target!);
            var start = g.Node("Div", [g.Node("Sub", [g.SpatialSize(full), size]), g.Ints(2)]);
            return g.CropSpatial(full, start, g.Node("Add", [start, size]));
        }

        if (target == null && _padding == ConvPadding.Reflect) return EmitAsPhases(_conv!, g, x);
        var up = g.Node("Resize", [x, "", g.Floats([4], 1f, 1f, 2f, 2f)],
            OnnxAttribute.Of("mode", "nearest"), OnnxAttribute.Of("coordinate_transformation_mode", "asymmetric"), OnnxAttribute.Of("nearest_mode", "floor"));
        var cropped = target == null ? up : g.CropSpatial(up, g.Ints(0, 0), g.SpatialSize(target));
        return ConvLayer.EmitPadAndConvolve(_conv!, _padding, g, cropped, sizes);
    }

    /// <summary>
    /// The stride-2 3x3 transposed convolution as a convolution of the input. Its full result has 2n + 1 pixels: pixel 2i
    /// takes tap 0 of input i and tap 2 of input i − 1, pixel 2i + 1 takes tap 1 of input i. Cropped from 1 (Torch7's
    /// geometry, 2n pixels), pixel 2i takes tap 1 of input i, and 2i + 1 takes tap 2 of input i and tap 0 of input i + 1.
    /// Either way each output phase is a 2x2 kernel over the input padded with zeros (from 1: one row and column at the
    /// end, 2n pixels; from 0: one on each side, the full result and one pixel more), and a pixel shuffle interleaves
    /// them. ONNX Runtime's ConvTranspose (a matrix product and a scatter) is several times slower than its convolutions.
    /// </summary>
    private static string EmitTransposedAsPhases(ConvTranspose2d conv, OnnxGraphBuilder g, string x, bool fromOne)
    {
        // Row (phase, tap) of a phase kernel takes original tap: from 1, (0, 0) 1, (0, 1) none, (1, 0) 2, (1, 1) 0;
        // from 0, (0, 0) 2, (0, 1) 0, (1, 0) none, (1, 1) 1.
        float[][] select = fromOne ? [[0, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0]] : [[0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 1, 0]];
        var weight = g.Node("Transpose", [g.Weight(conv.Weight)], OnnxAttribute.Of("perm", 1L, 0, 2, 3));
        var phases = ConvLayer.MergedTaps(g, weight, 2, 3, select);
        var (o, c) = (conv.Weight.Size(1), conv.Weight.Size(0));
        var y = ConvLayer.EmitPhaseConv(g, x, phases, o, c, conv.Bias, 2, stride: 1, OnnxAttribute.Of("pads", fromOne ? [0L, 0, 1, 1] : [1L, 1, 1, 1]));
        return g.PixelShuffle(y, o, 2);
    }

    /// <summary>
    /// Nearest ×2 then a reflection-padded 3x3 convolution, computed at the input's size: output pixel
    /// (2i + p, 2j + q) sees only input rows i−1..i (p = 0) or i..i+1 (p = 1), and likewise columns, because the upsampled
    /// image repeats each pixel. So each of the four output phases is a 3x3 convolution of the input with taps merged
    /// (rows: p = 0 takes w₀, w₁ + w₂; p = 1 takes w₀ + w₁, w₂), and the upsampled image's reflected border row is the
    /// input's edge row, so the input is edge-padded. The same multiply-adds as the original, without the upsampled
    /// image, its pad, or an output of fewer channels than a CPU block.
    /// </summary>
    private static string EmitAsPhases(Conv2d conv, OnnxGraphBuilder g, string x)
    {
        var phases = ConvLayer.MergedTaps(g, g.Weight(conv.Weight), 3, 3, [[1, 0, 0, 0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 0, 0, 0, 1]]);
        var padded = g.Node("Pad", [x, g.Ints(0, 0, 1, 1, 0, 0, 1, 1)], OnnxAttribute.Of("mode", "edge"));
        var (o, c) = (conv.Weight.Size(0), conv.Weight.Size(1));
        return g.PixelShuffle(ConvLayer.EmitPhaseConv(g, padded, phases, o, c, conv.Bias, 3, stride: 1), o, 2);
    }
}
