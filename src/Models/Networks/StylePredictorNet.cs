using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Networks;

/// <summary>One inverted residual block of MobileNet-v2: 1x1 expansion (absent at expansion 1), 3x3 depthwise, 1x1 linear projection.</summary>
public sealed record InvertedResidual(int In, int Expanded, int Out, int Stride, bool Expands)
{
    /// <summary>MobileNet-v2 adds the input back when the block keeps size and width.</summary>
    public bool Residual => Stride == 1 && In == Out;
}

/// <summary>A MobileNet-v2 feature extractor (TensorFlow SAME padding, ReLU6) followed by a spatial mean and a 1x1 projection to <see cref="Outputs"/> numbers.</summary>
public sealed record StylePredictorConfig(int Stem, IReadOnlyList<InvertedResidual> Blocks, int Head, int Outputs)
{
    public string? Problem()
    {
        if (Stem is < 1 or > 4096 || Head is < 1 or > 8192 || Outputs is < 1 or > 4096) return "widths out of range";
        if (Blocks.Count is < 1 or > 64) return $"{Blocks.Count} blocks";
        var width = Stem;
        foreach (var b in Blocks)
        {
            if (b.In != width || b.Out is < 1 or > 4096 || b.Expanded is < 1 or > 8192 || b.Stride is not (1 or 2) || (!b.Expands && b.Expanded != b.In))
                return $"block {b} does not follow the one before (width {width})";
            width = b.Out;
        }
        return null;
    }
}

/// <summary>
/// Magenta's style predictor: a painting (RGB 0..255, [N, 3, H, W]; the network's own 0..1 scale folded into the
/// first convolution) to its style vector [N, Outputs, 1, 1]. <see cref="Emit"/> writes the same computation as ONNX.
/// </summary>
public sealed class StylePredictorNet : Module
{
    private readonly ConvLayer _stem, _head, _bottleneck;
    private readonly (ConvLayer? Expand, ConvLayer Depthwise, ConvLayer Project, bool Residual)[] _blocks;

    public StylePredictorNet(StylePredictorConfig config)
    {
        if (config.Problem() is { } problem) throw new ArgumentException($"style predictor out of range: {problem}");
        Config = config;
        const ConvPadding same = ConvPadding.TensorFlowSame;
        _stem = RegisterModule("stem", new ConvLayer(3, config.Stem, 3, 2, same, bias: true));
        _blocks = config.Blocks.Select((b, i) => (
            b.Expands ? RegisterModule($"block{i}.expand", new ConvLayer(b.In, b.Expanded, 1, 1, same, bias: true)) : null,
            RegisterModule($"block{i}.depthwise", new ConvLayer(b.Expanded, b.Expanded, 3, b.Stride, same, bias: true, groups: b.Expanded)),
            RegisterModule($"block{i}.project", new ConvLayer(b.Expanded, b.Out, 1, 1, same, bias: true)),
            b.Residual)).ToArray();
        _head = RegisterModule("head", new ConvLayer(config.Blocks[^1].Out, config.Head, 1, 1, same, bias: true));
        _bottleneck = RegisterModule("bottleneck", new ConvLayer(config.Head, config.Outputs, 1, 1, same, bias: true));
    }

    public StylePredictorConfig Config { get; }

    public override Tensor Forward(Tensor x)
    {
        var h = Relu6(_stem, x);
        foreach (var (expand, depthwise, project, residual) in _blocks)
        {
            using var input = h;
            using var expanded = expand != null ? Relu6(expand, input) : input.Alias();
            using var filtered = Relu6(depthwise, expanded);
            var projected = project.Forward(filtered);
            if (residual)
            {
                using (projected) h = projected + input;
            }
            else h = projected;
        }
        using (h)
        using (var features = Relu6(_head, h))
        using (var mean = features.Mean([2, 3], keepDim: true))
            return _bottleneck.Forward(mean);
    }

    private static Tensor Relu6(ConvLayer conv, Tensor x)
    {
        using var y = conv.Forward(x);
        return y.Clamp(0, 6);
    }

    public string Emit(OnnxGraphBuilder g, string x)
    {
        string Relu6(ConvLayer conv, string input) => g.Node("Clip", [conv.Emit(g, input), g.Floats([], 0f), g.Floats([], 6f)]);
        var h = Relu6(_stem, x);
        foreach (var (expand, depthwise, project, residual) in _blocks)
        {
            var expanded = expand != null ? Relu6(expand, h) : h;
            var projected = project.Emit(g, Relu6(depthwise, expanded));
            h = residual ? g.Node("Add", [projected, h]) : projected;
        }
        return _bottleneck.Emit(g, g.Node("GlobalAveragePool", [Relu6(_head, h)]));
    }
}
