using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Formats.Tflite;

/// <summary>
/// Recognises Magenta's style transformer in a .tflite graph by its dataflow, not its names (the converter
/// shares identical buffers between layers): sixteen reflection-padded, unpadded convolutions (9x9, 3x3 stride 2
/// twice, five residual blocks, two ×2 nearest resizes each followed by a 3x3, a 9x9), the first three with ReLU,
/// every later one followed by a conditional instance norm whose scale and shift are 1x1 convolutions of the
/// style vector, and a sigmoid. Weights come out in <see cref="TransformNet"/>'s names and torch's layout.
/// </summary>
public static class MagentaTransformerLayout
{
    private const int Convolutions = 16, FirstResidual = 3, FirstDecoder = 13;

    public static ConditionalTransformer Read(TfliteModel model)
    {
        var g = new TfliteGraph(model);
        if (model.Inputs.Length != 2) throw g.Unknown($"{model.Inputs.Length} inputs where the transformer takes an image and a style vector");
        var style = model.Inputs.FirstOrDefault(i => model.Tensors[i].Shape is [1, 1, 1, _] or [1, _]);
        var content = model.Inputs.FirstOrDefault(i => i != style && model.Tensors[i].Shape is [1, _, _, 3]);
        if (model.Tensors[style].Shape.Length == 0 || model.Tensors[content].Shape is not [1, _, _, 3] || style == content)
            throw g.Unknown("its inputs are not an image [1, H, W, 3] and a style vector [1, 1, 1, N]");
        var styleSize = model.Tensors[style].Shape[^1];
        if (styleSize is < 1 or > 4096) throw g.Unknown($"a style vector of {styleSize} numbers");

        bool ReadsStyle(TfliteOperator op) => op.Op == TfliteOp.Conv2D && g.Source(g.In(op, 0)) == style;
        var convs = model.Operators.Where(op => op.Op == TfliteOp.Conv2D && !ReadsStyle(op)).ToList();
        if (convs.Count != Convolutions) throw g.Unknown($"{convs.Count} image convolutions where the transformer has {Convolutions}");

        var weights = new Dictionary<string, HostTensor>();
        var norms = new List<StyleNormProjection>();
        float eps = 0;
        int[] strides = [1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        var blockInput = -1;
        var last = -1;
        for (var i = 0; i < Convolutions; i++)
        {
            var conv = convs[i];
            var kernel = g.Input(conv, 1);
            if (kernel.Shape is not [_, var k, var k2, _] || k != k2 || k % 2 == 0) throw g.Unknown($"{conv.Describe(model)} has a kernel {kernel.ShapeText}");
            if (!conv.Options.ValidPadding || conv.Options.StrideH != strides[i] || conv.Options.StrideW != strides[i] || conv.Options is not { DilationH: 1, DilationW: 1 })
                throw g.Unknown($"{conv.Describe(model)} is not an unpadded stride-{strides[i]} convolution");
            var padded = PaddedInput(g, conv, k / 2);
            if (i >= FirstDecoder) CheckResize(g, padded, i < Convolutions - 1);
            if (i >= FirstResidual && i < FirstDecoder && (i - FirstResidual) % 2 == 0) blockInput = g.Source(padded);

            var name = ConvName(i);
            weights[name + ".weight"] = TfliteWeights.ConvKernel(model, kernel);
            weights[name + ".bias"] = conv.Inputs.Length > 2 && g.In(conv, 2) >= 0
                ? TfliteWeights.Floats(model, g.Input(conv, 2))
                : new HostTensor([kernel.Shape[0]], new float[kernel.Shape[0]]);

            var output = g.Output(conv);
            var relu = i < FirstDecoder ? i < FirstResidual || (i - FirstResidual) % 2 == 0 : i < Convolutions - 1;
            if (i < FirstResidual)
            {
                if (conv.Options.Activation != TfliteActivation.Relu) throw g.Unknown($"{conv.Describe(model)} should end in a ReLU");
                last = output;
                continue;
            }
            if (conv.Options.Activation != TfliteActivation.None) throw g.Unknown($"{conv.Describe(model)} has an activation before its norm");
            var (norm, normOutput, layerEps) = ConditionalNorm(g, output, style, NormName(i), relu);
            norms.Add(norm);
            eps = layerEps;
            last = normOutput;
            if (i >= FirstResidual && i < FirstDecoder && (i - FirstResidual) % 2 == 1)
                last = ResidualAdd(g, normOutput, blockInput);
        }

        var sigmoid = g.Readers(last).SingleOrDefault(op => op.Op == TfliteOp.Logistic) ?? throw g.Unknown("the last layer is not followed by a sigmoid");
        if (model.Outputs.Length != 1 || g.Source(model.Outputs[0]) != g.Source(g.Output(sigmoid))) throw g.Unknown("its output is not the sigmoid's");

        var channels = new[] { (int)weights["conv1.conv2d.weight"].Shape[0], (int)weights["conv2.conv2d.weight"].Shape[0], (int)weights["conv3.conv2d.weight"].Shape[0] };
        var config = TransformNetConfig.Magenta with { Channels = channels, NormEps = eps };
        if (config.Problem() is { } problem) throw g.Unknown(problem);
        CheckShapes(g, weights, channels);
        // The network's images are 0..1, LiveStyle's 0..255: reflection padding is linear, so the scale folds into the first kernel.
        var first = weights["conv1.conv2d.weight"];
        weights["conv1.conv2d.weight"] = first with { Data = first.Data.Select(v => v / 255f).ToArray() };
        return new ConditionalTransformer(config, weights, norms, styleSize, model.Licence);
    }

    private static string ConvName(int i) => i switch
    {
        < FirstResidual => $"conv{i + 1}.conv2d",
        < FirstDecoder => $"res{(i - FirstResidual) / 2 + 1}.conv{(i - FirstResidual) % 2 + 1}.conv2d",
        _ => i == Convolutions - 1 ? "deconv3.conv2d" : $"deconv{i - FirstDecoder + 1}.conv2d",
    };

    private static string NormName(int i) => i < FirstDecoder ? $"res{(i - FirstResidual) / 2 + 1}.in{(i - FirstResidual) % 2 + 1}" : $"in{i - FirstDecoder + 4}";

    /// <summary>The convolution's input must be a reflection pad of <paramref name="pad"/> on height and width; returns the padded value's input.</summary>
    private static int PaddedInput(TfliteGraph g, TfliteOperator conv, int pad)
    {
        var mirror = g.SourceProducer(g.In(conv, 0));
        if (mirror is not { Op: TfliteOp.MirrorPad } || mirror.Options.Symmetric) throw g.Unknown($"{conv.Describe(g.Model)} does not read a reflection pad");
        var pads = TfliteWeights.Ints(g.Model, g.Input(mirror, 1));
        if (!pads.SequenceEqual(new long[] { 0, 0, pad, pad, pad, pad, 0, 0 })) throw g.Unknown($"{mirror.Describe(g.Model)} pads [{string.Join(", ", pads)}], not {pad} around");
        return g.In(mirror, 0);
    }

    /// <summary>The decoder's resizes are nearest-neighbour to a fixed size: twice the input's (or the same, before the last layer).</summary>
    private static void CheckResize(TfliteGraph g, int padded, bool doubles)
    {
        var resize = g.SourceProducer(padded);
        if (resize is not { Op: TfliteOp.ResizeNearestNeighbor }) throw g.Unknown("a decoder convolution does not read a nearest-neighbour resize");
        var input = g.Input(resize, 0);
        var size = TfliteWeights.Ints(g.Model, g.Input(resize, 1));
        var factor = doubles ? 2 : 1;
        if (input.Shape is not [_, var h, var w, _] || !size.SequenceEqual(new long[] { factor * (long)h, factor * (long)w }))
            throw g.Unknown($"{resize.Describe(g.Model)} resizes {input.ShapeText} to [{string.Join(", ", size)}], not ×{factor}");
    }

    /// <summary>
    /// x·(γ·rsqrt(var + ε)) + (β − mean·γ·rsqrt(var + ε)), TensorFlow's batch_normalization over each channel's
    /// moments, with γ and β from 1x1 convolutions of the style vector.
    /// </summary>
    private static (StyleNormProjection Norm, int Output, float Eps) ConditionalNorm(TfliteGraph g, int x, int style, string name, bool relu)
    {
        var model = g.Model;
        var mean = g.Readers(x).FirstOrDefault(op => op.Op == TfliteOp.Mean) ?? throw g.Unknown($"no instance norm after {model.Tensors[x].Name}");
        var scaleX = g.Readers(x).FirstOrDefault(op => op.Op == TfliteOp.Mul) ?? throw g.Unknown($"{model.Tensors[x].Name} is not scaled by its norm");
        var scale = g.Source(scaleX.Inputs.First(i => g.Source(i) != g.Source(x)));
        var scaleOp = g.Producer(scale);
        if (scaleOp is not { Op: TfliteOp.Mul }) throw g.Unknown($"the norm of {model.Tensors[x].Name} has no scale");
        var gammaConv = scaleOp.Inputs.Select(g.SourceProducer).FirstOrDefault(op => op is { Op: TfliteOp.Conv2D } && g.Source(g.In(op, 0)) == style)
                        ?? throw g.Unknown($"the norm of {model.Tensors[x].Name} has no scale from the style vector");
        var rsqrt = scaleOp.Inputs.Select(g.SourceProducer).FirstOrDefault(op => op is { Op: TfliteOp.Rsqrt }) ?? throw g.Unknown($"the norm of {model.Tensors[x].Name} has no rsqrt");
        var addEps = g.SourceProducer(g.In(rsqrt, 0));
        if (addEps is not { Op: TfliteOp.Add }) throw g.Unknown($"the norm of {model.Tensors[x].Name} adds no epsilon");
        var epsTensor = addEps.Inputs.Where(i => i >= 0).Select(i => model.Tensors[i]).FirstOrDefault(model.IsConstant) ?? throw g.Unknown("the norm's epsilon is not a constant");
        var eps = TfliteWeights.Floats(model, epsTensor).Data;
        if (eps.Length != 1 || eps[0] is <= 0 or > 1) throw g.Unknown($"the norm's epsilon is {string.Join(", ", eps)}");
        if (!addEps.Inputs.Any(i => g.SourceProducer(i) is { Op: TfliteOp.Mean } v && g.SourceProducer(g.In(v, 0)) is { Op: TfliteOp.SquaredDifference } d
                                    && d.Inputs.Any(j => g.Source(j) == g.Source(x)) && d.Inputs.Any(j => g.Source(j) == g.Output(mean))))
            throw g.Unknown($"the norm of {model.Tensors[x].Name} does not divide by its own variance");

        var shift = g.Readers(scale).FirstOrDefault(op => op.Op == TfliteOp.Mul && op != scaleX && op.Inputs.Any(i => g.Source(i) == g.Output(mean)))
                    ?? throw g.Unknown($"the norm of {model.Tensors[x].Name} does not centre by its mean");
        var sub = g.Readers(g.Output(shift)).FirstOrDefault(op => op.Op == TfliteOp.Sub) ?? throw g.Unknown($"the norm of {model.Tensors[x].Name} has no shift");
        if (g.Source(g.In(sub, 1)) != g.Source(g.Output(shift))) throw g.Unknown($"the norm of {model.Tensors[x].Name} subtracts the wrong way round");
        var betaConv = g.SourceProducer(g.In(sub, 0));
        if (betaConv is not { Op: TfliteOp.Conv2D } || g.Source(g.In(betaConv, 0)) != style) throw g.Unknown($"the norm of {model.Tensors[x].Name} has no shift from the style vector");
        var add = g.Readers(g.Output(scaleX)).FirstOrDefault(op => op.Op == TfliteOp.Add && op.Inputs.Any(i => g.Source(i) == g.Source(g.Output(sub))))
                  ?? throw g.Unknown($"the norm of {model.Tensors[x].Name} is not applied");
        if ((add.Options.Activation == TfliteActivation.Relu) != relu)
            throw g.Unknown($"{add.Describe(model)} should {(relu ? "" : "not ")}end in a ReLU");

        var channels = model.Tensors[x].Shape[^1];
        return (new StyleNormProjection(name, Projection(g, gammaConv, channels), Bias(g, gammaConv, channels), Projection(g, betaConv, channels), Bias(g, betaConv, channels)),
            g.Output(add), eps[0]);
    }

    private static HostTensor Projection(TfliteGraph g, TfliteOperator conv, int channels)
    {
        var kernel = g.Input(conv, 1);
        if (kernel.Shape is not [var c, 1, 1, var s] || c != channels) throw g.Unknown($"{conv.Describe(g.Model)} has a kernel {kernel.ShapeText} for {channels} channels");
        var w = TfliteWeights.Floats(g.Model, kernel);
        return new HostTensor([c, s], w.Data);
    }

    private static HostTensor Bias(TfliteGraph g, TfliteOperator conv, int channels) =>
        conv.Inputs.Length > 2 && g.In(conv, 2) >= 0 ? TfliteWeights.Floats(g.Model, g.Input(conv, 2)) : new HostTensor([channels], new float[channels]);

    private static int ResidualAdd(TfliteGraph g, int normOutput, int blockInput)
    {
        var add = g.Readers(normOutput).FirstOrDefault(op => op.Op == TfliteOp.Add && op.Inputs.Any(i => g.Source(i) == blockInput))
                  ?? throw g.Unknown("a residual block does not add its input back");
        return g.Output(add);
    }

    private static void CheckShapes(TfliteGraph g, IReadOnlyDictionary<string, HostTensor> weights, int[] c)
    {
        void Expect(string name, long outC, long inC, long k)
        {
            var w = weights[name + ".weight"];
            if (!w.Shape.SequenceEqual([outC, inC, k, k])) throw g.Unknown($"{name} is {w.ShapeText}, not [{outC}, {inC}, {k}, {k}]");
            if (!weights[name + ".bias"].Shape.SequenceEqual([outC])) throw g.Unknown($"{name}'s bias does not have {outC} values");
        }
        Expect("conv1.conv2d", c[0], 3, 9);
        Expect("conv2.conv2d", c[1], c[0], 3);
        Expect("conv3.conv2d", c[2], c[1], 3);
        for (var b = 1; b <= 5; b++)
        {
            Expect($"res{b}.conv1.conv2d", c[2], c[2], 3);
            Expect($"res{b}.conv2.conv2d", c[2], c[2], 3);
        }
        Expect("deconv1.conv2d", c[1], c[2], 3);
        Expect("deconv2.conv2d", c[0], c[1], 3);
        Expect("deconv3.conv2d", 3, c[0], 9);
    }
}
