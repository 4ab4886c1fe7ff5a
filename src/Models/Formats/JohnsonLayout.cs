using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;

namespace LiveStyle.Models.Formats;

/// <summary>
/// jcjohnson/fast-neural-style's instance-norm networks as converted to ONNX (microsoft/Windows-Machine-Learning):
/// ImageScaler (BGR minus the VGG mean), reflection Pad of 8 pixels per residual block, 9x9 and stride-2 3x3
/// zero-padded convolutions, residual blocks of unpadded convolutions with Crop(2) shortcuts, ConvTranspose
/// with Torch7's extra row (output_shape) then Crop(1), Tanh, Affine x150, the mean added back, BGR out.
/// Read into a <see cref="TransformNet"/> with <see cref="BorderPadding.ReflectMargin"/>: the BGR order is
/// folded into the first and last convolutions, the mean kept as <see cref="TransformNetConfig.InputMean"/>.
/// </summary>
public static class JohnsonLayout
{
    public static Weights? TryRead(OnnxModel model, string path, string style, string licence)
    {
        var nodes = model.Graph.Nodes;
        if (nodes.Count == 0 || nodes[0].OpType != "ImageScaler" || !nodes.Any(n => n.OpType == "Crop") || !nodes.Any(n => n.OpType == "ConvTranspose")) return null;
        ModelFormatException Bad(string why) => new($"{path}: looks like a jcjohnson/fast-neural-style network but {why}");

        var convs = nodes.Where(n => n.OpType is "Conv" or "ConvTranspose").ToList();
        var norms = nodes.Where(n => n.OpType == "InstanceNormalization").ToList();
        var blocks = (convs.Count - 6) / 2;
        if (convs.Count != 6 + 2 * blocks || blocks < 1 || norms.Count != 5 + 2 * blocks
            || convs[^3].OpType != "ConvTranspose" || convs[^2].OpType != "ConvTranspose" || convs.SkipLast(3).Concat(convs.TakeLast(1)).Any(c => c.OpType != "Conv"))
            throw Bad($"its {convs.Count} convolutions and {norms.Count} normalisations are not that layout's");

        var margin = nodes.FirstOrDefault(n => n.OpType == "Pad")?.Attribute("pads")?.Ints ?? [];
        if (margin.Length != 8 || margin.Max() != 8 * blocks || margin.Any(p => p != 0 && p != 8 * blocks))
            throw Bad($"its reflection pad is not {8 * blocks} pixels, which {blocks} residual blocks need");

        var scaler = nodes[0];
        var bgrMean = (scaler.Attribute("bias")?.Floats ?? []).Select(b => -b).ToArray();
        if (bgrMean.Length != 3 || Math.Abs((scaler.Attribute("scale")?.F ?? 1f) - 1f) > 1e-6)
            throw Bad("its ImageScaler is not a plain mean subtraction");
        if (nodes.FirstOrDefault(n => n.OpType == "Affine")?.Attribute("alpha")?.F is not 150f)
            throw Bad("its output is not tanh x 150");

        var initializers = model.Graph.Initializers.ToDictionary(t => t.Name);
        HostTensor Input(OnnxNode node, int index, int rank) =>
            node.Inputs.Count > index && initializers.TryGetValue(node.Inputs[index], out var t) && t.Floats != null
                ? t.Dims.Length == rank && t.Dims.All(d => d > 0) && t.Dims.Aggregate(1L, (a, b) => a * b) == t.Floats.Length
                    ? new HostTensor(t.Dims, t.Floats)
                    : throw Bad($"its {node.OpType} {ModelInfo.Sanitize(node.Name, 80)} has a [{string.Join(", ", t.Dims)}] tensor at input {index} where a {rank}-dimensional one belongs")
                : throw Bad($"its {node.OpType} {ModelInfo.Sanitize(node.Name, 80)} has no float initializer at input {index}");

        var added = nodes.LastOrDefault(n => n.OpType == "Add") ?? throw Bad("it adds no mean back to its output");
        var outputMean = added.Inputs.Select(i => initializers.GetValueOrDefault(i)).FirstOrDefault(t => t?.Floats is { Length: 3 })?.Floats;
        if (outputMean == null || outputMean.Zip(bgrMean).Any(p => Math.Abs(p.First - p.Second) > 1e-3))
            throw Bad("the mean added to its output is not the one subtracted from its input");
        var scale = nodes.FirstOrDefault(n => n.OpType == "Mul") is { } mul ? mul.Inputs.Select(i => initializers.GetValueOrDefault(i)).FirstOrDefault(t => t?.Floats != null)?.Floats : [1f];
        if (scale == null || scale.Any(v => v != 1f)) throw Bad("its output is scaled after the mean");

        var convNames = new List<string> { "conv1", "conv2", "conv3" };
        var normNames = new List<string> { "in1", "in2", "in3" };
        for (var i = 1; i <= blocks; i++)
        {
            convNames.AddRange([$"res{i}.conv1", $"res{i}.conv2"]);
            normNames.AddRange([$"res{i}.in1", $"res{i}.in2"]);
        }
        convNames.AddRange(["deconv1", "deconv2", "deconv3"]);
        normNames.AddRange(["in4", "in5"]);

        var tensors = new Dictionary<string, HostTensor>();
        for (var i = 0; i < convs.Count; i++)
        {
            var (weight, bias) = (Input(convs[i], 1, 4), Input(convs[i], 2, 1));
            // BGR in and out: reverse the first convolution's input channels and the last one's outputs.
            if (i == 0) weight = Reverse(weight, 1);
            if (i == convs.Count - 1) (weight, bias) = (Reverse(weight, 0), Reverse(bias, 0));
            tensors[convNames[i] + ".conv2d.weight"] = weight;
            tensors[convNames[i] + ".conv2d.bias"] = bias;
        }
        for (var i = 0; i < norms.Count; i++)
        {
            tensors[normNames[i] + ".weight"] = Input(norms[i], 1, 1);
            tensors[normNames[i] + ".bias"] = Input(norms[i], 2, 1);
        }

        var c1 = tensors["conv1.conv2d.weight"];
        var config = TransformNetConfig.Full with
        {
            Name = "johnson",
            Channels = [(int)c1.Shape[0], (int)tensors["conv2.conv2d.weight"].Shape[0], (int)tensors["conv3.conv2d.weight"].Shape[0]],
            ResidualBlocks = blocks,
            Padding = BorderPadding.ReflectMargin,
            Upsample = UpsampleKind.TransposedConv,
            Output = OutputKind.Tanh150,
            NormEps = norms[0].Attribute("epsilon")?.F ?? 1e-5f,
            EdgeKernel = (int)c1.Shape[^1],
            InputMean = [bgrMean[2], bgrMean[1], bgrMean[0]],
        };
        if (config.Problem() is { } problem) throw Bad(problem);
        var source = $"jcjohnson/fast-neural-style ({ModelInfo.Sanitize(model.Metadata.GetValueOrDefault("author", "Justin Johnson"))}), ONNX by Windows Machine Learning: {path}";
        return new Weights(new ModelInfo(config, style, source, new Dictionary<string, string>()) { Licence = licence }, tensors, path);
    }

    /// <summary>The tensor with dimension <paramref name="axis"/> (0 or 1) in reverse order.</summary>
    private static HostTensor Reverse(HostTensor t, int axis)
    {
        long outer = t.Shape.Take(axis).Aggregate(1L, (a, b) => a * b), n = t.Shape[axis];
        var inner = t.Data.Length / (outer * n);
        var result = new float[t.Data.Length];
        for (long o = 0; o < outer; o++)
        for (long i = 0; i < n; i++)
            Array.Copy(t.Data, (o * n + i) * inner, result, (o * n + (n - 1 - i)) * inner, inner);
        return new HostTensor(t.Shape, result);
    }
}
