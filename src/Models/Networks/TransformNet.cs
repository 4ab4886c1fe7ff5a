using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;

namespace LiveStyle.Models.Networks;

/// <summary>
/// The residual transform network of Johnson et al. (2016), in any <see cref="TransformNetConfig"/>:
/// input and output are [N, 3, H, W] RGB in 0..255, and the output has the input's size.
/// Parameter names follow pytorch/examples' TransformerNet (conv1.conv2d.weight, in1.weight, res1.conv1.conv2d.weight, ...).
/// </summary>
public sealed class TransformNet : Module
{
    private readonly ConvLayer _conv1, _conv2, _conv3, _conv4;
    private readonly InstanceNorm2d _in1, _in2, _in3, _in4, _in5;
    private readonly InstanceNorm2d? _in6;
    private readonly ResidualBlock[] _residuals;
    private readonly UpsampleLayer _up1, _up2;

    public TransformNet(TransformNetConfig config)
    {
        if (config.Problem() is { } problem) throw new ArgumentException($"architecture out of range: {problem}");
        Config = config;
        var (c1, c2, c3) = (config.Channels[0], config.Channels[1], config.Channels[2]);
        var (pad, bias, eps) = (config.Padding, config.ConvBias, config.NormEps);
        var (f, k) = (config.PixelUnshuffle, config.EdgeKernel);
        _conv1 = RegisterModule("conv1", new ConvLayer(3 * f * f, c1, k, 1, pad, bias));
        _in1 = RegisterModule("in1", new InstanceNorm2d(c1, eps));
        _conv2 = RegisterModule("conv2", new ConvLayer(c1, c2, 3, 2, pad, bias));
        _in2 = RegisterModule("in2", new InstanceNorm2d(c2, eps));
        _conv3 = RegisterModule("conv3", new ConvLayer(c2, c3, 3, 2, pad, bias));
        _in3 = RegisterModule("in3", new InstanceNorm2d(c3, eps));
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
        var f = Config.PixelUnshuffle;
        if (f == 1) return ForwardAtScale(x);
        // Pad to a multiple of f by replicating the border, work at 1/f scale, shuffle back, crop.
        long h = x.Size(2), w = x.Size(3);
        int padH = (int)((f - h % f) % f), padW = (int)((f - w % f) % f);
        using var padded = padH + padW > 0 ? Functional.Pad2d(x, 0, padW, 0, padH, PaddingMode.Replicate) : x.Alias();
        using var small = Functional.PixelUnshuffle(padded, f);
        using var y = ForwardAtScale(small);
        using var full = Functional.PixelShuffle(y, f);
        if (padH + padW == 0) return full.Alias();
        using var rows = full.Narrow(2, 0, h);
        return rows.Narrow(3, 0, w);
    }

    private Tensor ForwardAtScale(Tensor x)
    {
        long h1 = x.Size(2), w1 = x.Size(3);
        using var e1 = ConvNormRelu(_conv1, _in1, x);
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
            using var u1 = Skip(_up1.Forward(h, h2, w2), e2);
            using var d1 = NormRelu(_in4, u1);
            using var u2 = Skip(_up2.Forward(d1, h1, w1), e1);
            using var d2 = NormRelu(_in5, u2);
            using var y = _conv4.Forward(d2);
            if (_in6 == null) return y.Alias();
            using var normalised = _in6.Forward(y);
            using var squashed = normalised.Tanh();
            using var scaled = squashed * 150.0;
            return scaled + 127.5;
        }
    }

    private Tensor Skip(Tensor decoded, Tensor encoded)
    {
        if (!Config.SkipConnections) return decoded;
        using (decoded) return decoded + encoded;
    }

    private static Tensor ConvNormRelu(ConvLayer conv, InstanceNorm2d norm, Tensor x)
    {
        using var c = conv.Forward(x);
        return NormRelu(norm, c);
    }

    private static Tensor NormRelu(InstanceNorm2d norm, Tensor x)
    {
        using var n = norm.Forward(x);
        return n.Relu();
    }
}
