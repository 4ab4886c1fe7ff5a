using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Models.Networks;

/// <summary>
/// The residual transform network of Johnson et al. (2016), in any <see cref="TransformNetConfig"/>:
/// input and output are [N, 3, H, W] RGB in 0..255, and the output has the input's size.
/// Parameter names follow pytorch/examples' TransformerNet (conv1.conv2d.weight, in1.weight, res1.conv1.conv2d.weight, ...).
/// </summary>
public sealed class TransformNet : Module
{
    private readonly ConvLayer _conv1, _conv2, _conv3, _conv4;
    private readonly InstanceNorm2d? _in1, _in2, _in3;
    private readonly InstanceNorm2d _in4, _in5;
    private readonly InstanceNorm2d? _in6;
    private readonly ResidualBlock[] _residuals;
    private readonly UpsampleLayer _up1, _up2;
    private Tensor? _mean;

    public TransformNet(TransformNetConfig config)
    {
        if (config.Problem() is { } problem) throw new ArgumentException($"architecture out of range: {problem}");
        Config = config;
        var (c1, c2, c3) = (config.Channels[0], config.Channels[1], config.Channels[2]);
        var (pad, bias, eps) = (config.EdgePadding, config.ConvBias, config.NormEps);
        var (f, k) = (config.PixelUnshuffle, config.EdgeKernel);
        var norm = config.EncoderNorm;
        _conv1 = RegisterModule("conv1", new ConvLayer(3 * f * f, c1, k, 1, pad, bias));
        if (norm) _in1 = RegisterModule("in1", new InstanceNorm2d(c1, eps));
        _conv2 = RegisterModule("conv2", new ConvLayer(c1, c2, 3, 2, pad, bias));
        if (norm) _in2 = RegisterModule("in2", new InstanceNorm2d(c2, eps));
        _conv3 = RegisterModule("conv3", new ConvLayer(c2, c3, 3, 2, pad, bias));
        if (norm) _in3 = RegisterModule("in3", new InstanceNorm2d(c3, eps));
        _residuals = Enumerable.Range(1, config.ResidualBlocks)
            .Select(i => RegisterModule($"res{i}", new ResidualBlock(c3, config))).ToArray();
        _up1 = RegisterModule("deconv1", new UpsampleLayer(c3, c2, config));
        _in4 = RegisterModule("in4", new InstanceNorm2d(c2, eps));
        _up2 = RegisterModule("deconv2", new UpsampleLayer(c2, c1, config));
        _in5 = RegisterModule("in5", new InstanceNorm2d(c1, eps));
        _conv4 = RegisterModule("deconv3", new ConvLayer(c1, 3 * f * f, k, 1, pad, bias));
        if (config.NormAfterLastConv) _in6 = RegisterModule("in6", new InstanceNorm2d(3 * f * f, eps));
    }

    public TransformNetConfig Config { get; }

    public override Tensor Forward(Tensor x)
    {
        using var centred = Config.InputMean != null ? x - Mean(x) : x.Alias();
        // Pad to the size multiple (and the minimum size) by replicating the border, work at 1/f scale, shuffle back, crop.
        int m = Config.SizeMultiple, f = Config.PixelUnshuffle, min = Config.MinimumSize;
        long h = x.Size(2), w = x.Size(3);
        int padH = (int)Math.Max(min - h, (m - h % m) % m), padW = (int)Math.Max(min - w, (m - w % m) % m);
        using var padded = padH + padW > 0 ? Pad2d(centred, 0, padW, 0, padH, PaddingMode.Replicate) : centred.Alias();
        using var small = f > 1 ? PixelUnshuffle(padded, f) : padded.Alias();
        using var y = ForwardAtScale(small);
        using var full = f > 1 ? PixelShuffle(y, f) : y.Alias();
        if (padH + padW == 0) return full.Alias();
        using var rows = full.Narrow(2, 0, h);
        return rows.Narrow(3, 0, w);
    }

    private Tensor ForwardAtScale(Tensor x)
    {
        long h1 = x.Size(2), w1 = x.Size(3);
        using var margined = WithMargin(x);
        using var e1 = ConvNormRelu(_conv1, _in1, margined);
        using var e2 = ConvNormRelu(_conv2, _in2, e1);
        long h2 = e2.Size(2), w2 = e2.Size(3);
        var h = ConvNormRelu(_conv3, _in3, e2);
        foreach (var block in _residuals)
        {
            var next = block.Forward(h);
            h.Dispose();
            h = next;
        }

        using (h)
        {
            var torch7 = Config.Margin > 0;
            using var u1 = Skip(torch7 ? _up1.Forward(h) : _up1.Forward(h, h2, w2), e2);
            using var d1 = NormRelu(_in4, u1);
            using var u2 = Skip(torch7 ? _up2.Forward(d1) : _up2.Forward(d1, h1, w1), e1);
            using var d2 = NormRelu(_in5, u2);
            using var y = _conv4.Forward(d2);
            using var normalised = _in6 != null ? _in6.Forward(y) : y.Alias();
            if (Config.Output == OutputKind.Linear) return normalised.Alias();
            if (Config.Output == OutputKind.Sigmoid)
            {
                using var sigmoid = normalised.Sigmoid();
                return sigmoid * 255.0;
            }
            using var squashed = normalised.Tanh();
            using var scaled = squashed * 150.0;
            return Config.InputMean != null ? scaled + Mean(scaled) : scaled + 127.5;
        }
    }

    private Tensor WithMargin(Tensor x) => Config.Margin == 0 ? x.Alias() : ReflectPadding.Pad(x, Config.Margin);

    /// <summary>The input mean as [1, 3, 1, 1] in the activations' device and type, made once.</summary>
    private Tensor Mean(Tensor like)
    {
        if (_mean is { } m && m.Device == like.Device && m.Dtype == like.Dtype) return m;
        _mean?.Dispose();
        using var host = Torch.FromArray(Config.InputMean!, [1, 3, 1, 1]);
        return _mean = host.To(like.Device, like.Dtype).DetachFromScope();
    }

    private Tensor Skip(Tensor decoded, Tensor encoded)
    {
        if (!Config.SkipConnections) return decoded;
        using (decoded) return decoded + encoded;
    }

    private static Tensor ConvNormRelu(ConvLayer conv, InstanceNorm2d? norm, Tensor x)
    {
        using var c = conv.Forward(x);
        return norm != null ? NormRelu(norm, c) : c.Relu();
    }

    private static Tensor NormRelu(InstanceNorm2d norm, Tensor x)
    {
        using var n = norm.Forward(x);
        return n.Relu();
    }

    /// <summary>The same computation as ONNX nodes, with dynamic height and width; returns the output's name.</summary>
    public string Emit(OnnxGraphBuilder g, string x)
    {
        var centred = Config.InputMean is { } mean ? g.Node("Sub", [x, g.Floats([1, 3, 1, 1], mean)]) : x;
        long m = Config.SizeMultiple, f = Config.PixelUnshuffle, min = Config.MinimumSize;
        string? size = null;
        var padded = centred;
        if (m > 1 || min > 1)
        {
            size = g.SpatialSize(x);
            var multiple = g.Ints(m, m);
            var pad = g.Node("Mod", [g.Node("Sub", [multiple, g.Node("Mod", [size, multiple])]), multiple]);
            if (min > 1) pad = g.Node("Max", [g.Node("Sub", [g.Ints(min, min), size]), pad]);
            padded = g.Node("Pad", [centred, g.Node("Concat", [g.Ints(0, 0, 0, 0, 0, 0), pad], OnnxAttribute.Of("axis", 0L))], OnnxAttribute.Of("mode", "edge"));
        }
        var small = f == 1 ? padded : g.PixelUnshuffle(padded, 3, f);
        var y = EmitAtScale(g, small);
        var full = f == 1 ? y : g.PixelShuffle(y, 3, f);
        return size == null ? full : g.CropSpatial(full, g.Ints(0, 0), size);
    }

    private string EmitAtScale(OnnxGraphBuilder g, string x)
    {
        long margin = Config.Margin;
        var margined = margin == 0 ? x : ReflectPadding.Emit(g, x, margin);
        var sizes = new EmitSizes(Config.MinimumSize > 1, Config.EvenSizes);
        // Doubling the decoder's input gives the encoder's size exactly when inputs are padded to a multiple of 4 (and always in Torch7's geometry).
        var exact = margin > 0 || (Config.Upsample == UpsampleKind.NearestThenConv && Config.SizeMultiple / Config.PixelUnshuffle % 4 == 0);
        string? e1 = null;
        string e2;
        // When nothing else needs the first layer's full-size output (no norm, no skip, no size to copy), the second
        // layer reads its output phases directly.
        if (exact && !Config.SkipConnections && _in1 == null && _conv2.ReadsPhases && _conv1.EmitPhases(g, margined, sizes) is { } phases)
            e2 = g.Relu(EmitNorm(g, _in2, _conv2.EmitFromPhases(g, g.Relu(phases))));
        else
        {
            e1 = g.Relu(EmitNorm(g, _in1, _conv1.Emit(g, margined, sizes)));
            e2 = g.Relu(EmitNorm(g, _in2, _conv2.Emit(g, e1, sizes)));
        }
        var h = g.Relu(EmitNorm(g, _in3, _conv3.Emit(g, e2, sizes)));
        h = _residuals.Aggregate(h, (current, block) => block.Emit(g, current, sizes));
        var u1 = EmitSkip(g, _up1.Emit(g, h, exact ? null : e2, sizes), e2);
        var d1 = g.Relu(g.InstanceNorm(_in4, u1));
        var u2 = EmitSkip(g, _up2.Emit(g, d1, exact ? null : e1, sizes), e1);
        var d2 = g.Relu(g.InstanceNorm(_in5, u2));
        // Torch7's geometry doubles the map twice, so the last layer's input is even whatever the input's size.
        var y = _conv4.Emit(g, d2, margin > 0 ? sizes with { Even = true } : sizes);
        if (_in6 != null) y = g.InstanceNorm(_in6, y);
        if (Config.Output == OutputKind.Linear) return y;
        if (Config.Output == OutputKind.Sigmoid) return g.Node("Mul", [g.Node("Sigmoid", [y]), g.Floats([], 255f)]);
        var scaled = g.Node("Mul", [g.Node("Tanh", [y]), g.Floats([], 150f)]);
        return g.Node("Add", [scaled, Config.InputMean is { } mean ? g.Floats([1, 3, 1, 1], mean) : g.Floats([], 127.5f)]);
    }

    private static string EmitNorm(OnnxGraphBuilder g, InstanceNorm2d? norm, string x) => norm != null ? g.InstanceNorm(norm, x) : x;

    private string EmitSkip(OnnxGraphBuilder g, string decoded, string? encoded) =>
        Config.SkipConnections ? g.Node("Add", [decoded, encoded!]) : decoded;

    public override void Dispose()
    {
        _mean?.Dispose();
        base.Dispose();
    }
}
