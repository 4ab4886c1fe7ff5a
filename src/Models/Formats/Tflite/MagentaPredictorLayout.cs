using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Formats.Tflite;

/// <summary>
/// Recognises Magenta's style predictor in a .tflite graph: MobileNet-v2 (a 3x3 stride-2 convolution, inverted
/// residual blocks, a 1x1 convolution, all with ReLU6 and TensorFlow SAME padding), a spatial mean and a linear 1x1
/// convolution to the style vector. The block structure is read from the file and checked to be MobileNet-v2's
/// (width 1.0: 17 blocks, 32 to 320 channels, 1280 features). Weights come out in <see cref="StylePredictorNet"/>'s
/// names and torch's layout, the image's 0..1 scale folded into the first convolution (LiveStyle's images are 0..255).
/// </summary>
public static class MagentaPredictorLayout
{
    private static readonly (int Expansion, int Out, int Repeats, int Stride)[] MobileNetV2 =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static (StylePredictorConfig Config, Dictionary<string, HostTensor> Weights) Read(TfliteModel model)
    {
        var g = new TfliteGraph(model);
        if (model.Inputs.Length != 1 || model.Tensors[model.Inputs[0]].Shape is not [1, _, _, 3]) throw g.Unknown("its input is not one image [1, H, W, 3]");
        var ops = model.Operators.Where(op => op.Op is not (TfliteOp.Quantize or TfliteOp.Dequantize)).ToList();
        var weights = new Dictionary<string, HostTensor>();
        var at = 0;
        var current = g.Source(model.Inputs[0]);

        TfliteOperator Next(TfliteOp kind, TfliteActivation activation, string role)
        {
            if (at >= ops.Count) throw g.Unknown($"the graph ends before the {role}");
            var op = ops[at];
            if (op.Op != kind || op.Options.Activation != activation || op.Options.ValidPadding || op.Options is not { DilationH: 1, DilationW: 1 })
                throw g.Unknown($"{op.Describe(model)} is not the {role}");
            if (g.Source(g.In(op, 0)) != current) throw g.Unknown($"{op.Describe(model)} does not read the layer before it");
            at++;
            current = g.Source(g.Output(op));
            return op;
        }

        int Conv(string name, TfliteOperator op, bool depthwise)
        {
            var kernel = g.Input(op, 1);
            weights[name + ".conv2d.weight"] = depthwise ? TfliteWeights.DepthwiseKernel(model, kernel) : TfliteWeights.ConvKernel(model, kernel);
            var outputs = depthwise ? kernel.Shape[^1] : kernel.Shape[0];
            weights[name + ".conv2d.bias"] = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? TfliteWeights.Floats(model, g.Input(op, 2)) : new HostTensor([outputs], new float[outputs]);
            if (depthwise && op.Options.DepthMultiplier != 1) throw g.Unknown($"{op.Describe(model)} has depth multiplier {op.Options.DepthMultiplier}");
            return outputs;
        }

        var stemOp = Next(TfliteOp.Conv2D, TfliteActivation.Relu6, "first convolution");
        if (stemOp.Options is not { StrideH: 2, StrideW: 2 }) throw g.Unknown("the first convolution does not have stride 2");
        var stem = Conv("stem", stemOp, depthwise: false);
        var blocks = new List<InvertedResidual>();
        var width = stem;
        while (at + 1 < ops.Count && ops[at].Op == TfliteOp.Conv2D && ops[at + 1].Op == TfliteOp.DepthwiseConv2D
               || at < ops.Count && ops[at].Op == TfliteOp.DepthwiseConv2D)
        {
            var i = blocks.Count;
            var input = current;
            var expands = ops[at].Op == TfliteOp.Conv2D;
            var expanded = expands ? Conv($"block{i}.expand", Next(TfliteOp.Conv2D, TfliteActivation.Relu6, "expansion"), false) : width;
            var depthwise = Next(TfliteOp.DepthwiseConv2D, TfliteActivation.Relu6, "depthwise convolution");
            if (depthwise.Options.StrideH != depthwise.Options.StrideW) throw g.Unknown($"{depthwise.Describe(model)} has unequal strides");
            if (Conv($"block{i}.depthwise", depthwise, true) != expanded) throw g.Unknown($"{depthwise.Describe(model)} does not keep its width");
            var output = Conv($"block{i}.project", Next(TfliteOp.Conv2D, TfliteActivation.None, "projection"), false);
            var block = new InvertedResidual(width, expanded, output, depthwise.Options.StrideH, expands);
            var added = at < ops.Count && ops[at].Op == TfliteOp.Add;
            if (added)
            {
                var add = ops[at];
                if (!add.Inputs.Any(t => g.Source(t) == current) || !add.Inputs.Any(t => g.Source(t) == input) || add.Options.Activation != TfliteActivation.None)
                    throw g.Unknown($"{add.Describe(model)} is not block {i}'s residual sum");
                at++;
                current = g.Source(g.Output(add));
            }
            if (added != block.Residual) throw g.Unknown($"block {i} {(added ? "adds" : "does not add")} its input back, unlike MobileNet-v2");
            blocks.Add(block);
            width = output;
        }
        var head = Conv("head", Next(TfliteOp.Conv2D, TfliteActivation.Relu6, "last 1x1 convolution"), false);
        var mean = Next(TfliteOp.Mean, TfliteActivation.None, "spatial mean");
        if (!TfliteWeights.Ints(model, g.Input(mean, 1)).Order().SequenceEqual(new long[] { 1, 2 })) throw g.Unknown("the mean is not over height and width");
        var outputs = Conv("bottleneck", Next(TfliteOp.Conv2D, TfliteActivation.None, "style projection"), false);
        if (at != ops.Count || model.Outputs.Length != 1 || g.Source(model.Outputs[0]) != current) throw g.Unknown("the graph goes on after the style vector");

        var config = new StylePredictorConfig(stem, blocks, head, outputs);
        if (config.Problem() is { } problem) throw g.Unknown(problem);
        CheckMobileNetV2(g, config);
        foreach (var (name, tensor) in weights)
        {
            var expected = name.EndsWith(".bias", StringComparison.Ordinal) ? 1 : 4;
            if (tensor.Shape.Length != expected) throw g.Unknown($"{name} is {tensor.ShapeText}");
        }
        var stemWeight = weights["stem.conv2d.weight"];
        if (stemWeight.Shape[1] != 3) throw g.Unknown("the first convolution does not read three colours");
        weights["stem.conv2d.weight"] = stemWeight with { Data = stemWeight.Data.Select(v => v / 255f).ToArray() };
        return (config, weights);
    }

    private static void CheckMobileNetV2(TfliteGraph g, StylePredictorConfig config)
    {
        var expected = new List<(int Expanded, int Out, int Stride)>();
        var width = 32;
        foreach (var (t, c, n, s) in MobileNetV2)
            for (var r = 0; r < n; r++)
            {
                expected.Add((width * t, c, r == 0 ? s : 1));
                width = c;
            }
        if (config.Stem != 32 || config.Head != 1280 || config.Blocks.Count != expected.Count
            || !config.Blocks.Select(b => (b.Expanded, b.Out, b.Stride)).SequenceEqual(expected))
            throw g.Unknown("its blocks are not MobileNet-v2's (width 1.0)");
    }
}
