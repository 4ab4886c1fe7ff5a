namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>
/// Rewrites ONNX Runtime's own optimised graph (its NCHWc convolutions, with reorders around every other node) so that
/// each run of plain-layout nodes between a convolution and the next becomes one <see cref="BlockedNormOperator"/> node:
/// <c>ReorderOutput → [pixel shuffle] → [InstanceNormalization] → [Add residual] → [Relu] → Pad (reflect or edge)
/// → [ReorderInput]</c>, or a network's end, <c>ReorderOutput → [pixel shuffle] → [InstanceNormalization] → Sigmoid → Mul
/// by a constant</c>. The pixel shuffle is the one-hot grouped ConvTranspose <see cref="OnnxGraphBuilder.PixelShuffle"/>
/// writes; a residual is taken only when an earlier rewritten run already made it, padded, in the blocked layout. A
/// shuffled run's upsampling convolution becomes its 2x2 windows (<see cref="PhaseWindowConv"/>), and a shuffled run
/// into the last 9x9 convolution hands it the image as 2x2 phases (<see cref="QuarterPhaseConv"/>; the run after it
/// then shuffles 4x4 phases). Nodes nothing reads any more are dropped. A graph with no such run comes back as null.
/// </summary>
internal static class BlockedNormRewrite
{
    private const string Nchwc = BlockedConv.Domain;

    public static OnnxModel? Apply(OnnxModel model, int block)
    {
        var graph = model.Graph;
        var nodes = graph.Nodes.ToList();
        var initializers = graph.Initializers.ToDictionary(t => t.Name);
        var consumers = new Dictionary<string, List<OnnxNode>>();
        foreach (var node in nodes)
            foreach (var input in node.Inputs.Where(i => i.Length > 0))
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
        IReadOnlyList<OnnxNode> Consumers(string value) => consumers.TryGetValue(value, out var list) ? list : [];
        var producers = new Dictionary<string, OnnxNode>();
        foreach (var node in nodes)
            foreach (var output in node.Outputs)
                producers.TryAdd(output, node);

        // A plain value that a rewritten run also left padded in the blocked layout: that tensor, and where the value starts in it.
        var blocked = new Dictionary<string, (string Name, long Top, long Left)>();
        var replaced = new Dictionary<OnnxNode, OnnxNode>(ReferenceEqualityComparer.Instance);
        var added = new List<OnnxTensor>();
        var quartered = new HashSet<OnnxNode>(ReferenceEqualityComparer.Instance);
        var fused = 0;
        foreach (var start in nodes.Where(n => n.OpType == "ReorderOutput" && n.Domain == Nchwc && Int(n, "channels_last") == 0))
        {
            if (Match(start, block, Consumers, producers.GetValueOrDefault, initializers, blocked, quartered) is not { } run) continue;
            var (node, last, prePad, top, left, convs, tensors, quarter) = run;
            replaced[last] = node;
            foreach (var (old, replacement) in convs) replaced[old] = replacement;
            added.AddRange(tensors);
            if (quarter != null) quartered.Add(quarter);
            else if (node.Attribute("blocked_output")!.I == 1) blocked[prePad] = (node.Outputs[0], top, left);
            fused++;
        }
        if (fused == 0) return null;

        var rewritten = nodes.Select(n => replaced.GetValueOrDefault(n, n)).ToList();
        DropUnread(rewritten, graph.Outputs.Select(o => o.Name).ToHashSet());
        var used = rewritten.SelectMany(n => n.Inputs).ToHashSet();
        return model with
        {
            Graph = graph with { Nodes = rewritten, Initializers = graph.Initializers.Concat(added).Where(t => used.Contains(t.Name)).ToList() },
            Opsets = [.. model.Opsets.Where(o => o.Domain != BlockedNormOperator.Domain), (BlockedNormOperator.Domain, 1)],
        };
    }

    /// <param name="Convs">Convolutions next to the run that change with it, and what replaces each; <paramref name="Tensors"/> their new weights.</param>
    /// <param name="Quartered">The convolution after the run, now fed 2x2 phases and giving 4x4 ones.</param>
    private sealed record Run(OnnxNode Node, OnnxNode Last, string PrePad, long Top, long Left, IReadOnlyList<(OnnxNode Old, OnnxNode New)> Convs,
        IReadOnlyList<OnnxTensor> Tensors, OnnxNode? Quartered);

    /// <param name="quartered">The convolutions an earlier run already fed as 2x2 phases, which now give 4x4 phases.</param>
    private static Run? Match(OnnxNode start, int block, Func<string, IReadOnlyList<OnnxNode>> consumers, Func<string, OnnxNode?> producer,
        IReadOnlyDictionary<string, OnnxTensor> initializers, IReadOnlyDictionary<string, (string Name, long Top, long Left)> blocked,
        IReadOnlySet<OnnxNode> quartered)
    {
        var channels = Int(start, "channels");
        var value = start.Outputs[0];
        long shuffle = 1;
        OnnxNode? norm = null;
        (string Name, long Top, long Left)? residual = null;
        var relu = false;
        var sigmoid = 0f;
        OnnxNode? pad = null;
        var last = start;
        var stage = 0;
        while (true)
        {
            var next = consumers(value);
            if (next.FirstOrDefault(n => n.OpType == "Pad" && n.Domain == "") is { } p) { pad = p; break; }
            // The network's last steps, 255·sigmoid, end a run without a pad.
            if (sigmoid != 0) break;
            if (next.Count != 1) return null;
            var node = next[0];
            if (node.Domain != "") return null;
            if (stage < 1 && node.OpType == "ConvTranspose" && node.Inputs[0] == value && IsPixelShuffle(node, channels, initializers)) { shuffle = 2; channels /= 4; stage = 1; }
            else if (stage < 2 && node.OpType == "InstanceNormalization" && node.Inputs[0] == value && node.Inputs.Count == 3) { norm = node; stage = 2; }
            else if (stage < 3 && shuffle == 1 && node.OpType == "Add" && node.Inputs.Count == 2
                && blocked.TryGetValue(node.Inputs[0] == value ? node.Inputs[1] : node.Inputs[0], out var r)) { residual = r; stage = 3; }
            else if (stage < 4 && node.OpType == "Relu") { relu = true; stage = 4; }
            else if (stage < 4 && node.OpType == "Sigmoid" && ScaledBy(node, consumers, initializers) is var (mul, factor)) { sigmoid = factor; node = mul; stage = 4; }
            else return null;
            (last, value) = (node, node.Outputs[0]);
        }

        var mode = pad?.Attribute("mode")?.S ?? "constant";
        if (pad != null && (mode is not ("reflect" or "edge") || pad.Inputs[0] != value || pad.Inputs.Count != 2)) return null;
        if ((pad == null ? [0, 0, 0, 0, 0, 0, 0, 0] : initializers.GetValueOrDefault(pad.Inputs[1])?.Int64s) is not [0, 0, var top, var left, 0, 0, var bottom, var right])
            return null;
        var reorder = pad != null && consumers(pad.Outputs[0]) is [{ OpType: "ReorderInput", Domain: Nchwc } r2] && Int(r2, "channels_last") == 0 ? r2 : null;
        if (residual != null && reorder == null || sigmoid != 0 && reorder != null) return null;
        var output = reorder?.Outputs[0] ?? pad?.Outputs[0] ?? value;
        var convs = new List<(OnnxNode Old, OnnxNode New)>();
        var tensors = new List<OnnxTensor>();
        // The convolution before: its output is read by this run alone, so its size may change.
        var before = shuffle == 2 ? producer(start.Inputs[0]) : null;
        if (before != null && quartered.Contains(before)) shuffle = 4;
        var windows = before != null && shuffle == 2 && consumers(before.Outputs[0]).Count == 1 ? PhaseWindowConv.Of(before, initializers, block) : null;
        if (windows is var (windowed, weights))
        {
            convs.Add((before!, windowed));
            tensors.Add(weights);
        }
        // The convolution after, when it is the last 9x9 one reading the padded image in plain NCHW, into a pixel shuffle.
        var phases = $"{output}_phases";
        var quarter = reorder == null && pad != null && shuffle == 2 && sigmoid == 0 && mode == "reflect" && new[] { top, left, bottom, right }.All(p => p % 2 == 0)
            ? QuarterAfter(pad, phases, block, consumers, producer, initializers, blocked) : null;
        if (quarter is var (after, quartered4, quarterWeights, quarterBias))
        {
            convs.Add((after, quartered4));
            tensors.AddRange([quarterWeights, quarterBias]);
            output = phases;
        }
        var phaseOutput = quarter != null;
        var node2 = new OnnxNode("BlockedNorm",
            [start.Inputs[0], norm?.Inputs[1] ?? "", norm?.Inputs[2] ?? "", residual?.Name ?? ""], [output],
            [
                OnnxAttribute.Of("block", (long)block), OnnxAttribute.Of("channels", channels), OnnxAttribute.Of("norm", norm != null ? 1L : 0),
                OnnxAttribute.Of("epsilon", norm?.Attribute("epsilon")?.F ?? 1e-5f), OnnxAttribute.Of("residual", residual != null ? 1L : 0),
                OnnxAttribute.Of("relu", relu ? 1L : 0), OnnxAttribute.Of("shuffle", shuffle),
                OnnxAttribute.Of("pad_top", top), OnnxAttribute.Of("pad_left", left), OnnxAttribute.Of("pad_bottom", bottom), OnnxAttribute.Of("pad_right", right),
                OnnxAttribute.Of("edge", mode == "edge" ? 1L : 0), OnnxAttribute.Of("blocked_output", reorder != null || phaseOutput ? 1L : 0),
                OnnxAttribute.Of("residual_top", residual?.Top ?? 0), OnnxAttribute.Of("residual_left", residual?.Left ?? 0),
                OnnxAttribute.Of("sigmoid_scale", sigmoid), OnnxAttribute.Of("phase_offsets", windows != null ? 1L : 0),
                OnnxAttribute.Of("phase_output", phaseOutput ? 1L : 0),
            ], $"{start.Name}_blocked_norm", BlockedNormOperator.Domain);
        return new Run(node2, reorder ?? pad ?? last, value, top, left, convs, tensors, quarter?.Old);
    }

    /// <summary>
    /// The convolution that alone reads this pad's result, when it is the last 9x9 one (<see cref="QuarterPhaseConv"/>) into
    /// a pixel shuffle, and what replaces it reading <paramref name="phases"/>; only where the run after it is rewritten
    /// too (to shuffle the 4x4 phases), since nothing else could read them.
    /// </summary>
    private static (OnnxNode Old, OnnxNode New, OnnxTensor Weights, OnnxTensor Bias)? QuarterAfter(OnnxNode pad, string phases, int block,
        Func<string, IReadOnlyList<OnnxNode>> consumers, Func<string, OnnxNode?> producer, IReadOnlyDictionary<string, OnnxTensor> initializers,
        IReadOnlyDictionary<string, (string Name, long Top, long Left)> blocked)
    {
        if (consumers(pad.Outputs[0]) is not [{ } after] || consumers(after.Outputs[0]) is not [{ OpType: "ReorderOutput", Domain: Nchwc } reordered]
            || Int(reordered, "channels_last") != 0 || consumers(reordered.Outputs[0]) is not [{ OpType: "ConvTranspose", Domain: "" } shuffled]
            || !IsPixelShuffle(shuffled, Int(reordered, "channels"), initializers)
            || QuarterPhaseConv.Of(after, phases, Int(reordered, "channels"), initializers, block) is not var (conv, weights, bias)
            || Match(reordered, block, consumers, producer, initializers, blocked, new HashSet<OnnxNode>([after], ReferenceEqualityComparer.Instance)) is not { Node: var next }
            || next.Attribute("shuffle")!.I != 4)
            return null;
        return (after, conv, weights, bias);
    }

    /// <summary>The Mul by a constant that alone reads this Sigmoid's output, and the constant.</summary>
    private static (OnnxNode Mul, float Factor)? ScaledBy(OnnxNode sigmoid, Func<string, IReadOnlyList<OnnxNode>> consumers, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        if (consumers(sigmoid.Outputs[0]) is not [{ OpType: "Mul", Domain: "" } mul] || mul.Inputs.Count != 2) return null;
        var constant = mul.Inputs[0] == sigmoid.Outputs[0] ? mul.Inputs[1] : mul.Inputs[0];
        return initializers.TryGetValue(constant, out var t) && t.Floats is [var factor] && factor != 0 && float.IsFinite(factor) ? (mul, factor) : null;
    }

    /// <summary>The grouped ConvTranspose of <see cref="OnnxGraphBuilder.PixelShuffle"/> by 2 on <paramref name="channels"/> (the phases) channels.</summary>
    private static bool IsPixelShuffle(OnnxNode node, long channels, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        if (channels % 4 != 0 || node.Inputs.Count != 2 || !initializers.TryGetValue(node.Inputs[1], out var w) || w.Floats is not { } values
            || !w.Dims.SequenceEqual([channels, 1L, 2, 2]) || Int(node, "group") != channels / 4
            || node.Attribute("strides")?.Ints is not [2, 2] || node.Attribute("kernel_shape")?.Ints is not [2, 2]
            || node.Attributes.Any(a => a.Name is "pads" or "output_padding" or "dilations" or "output_shape" or "auto_pad" && !IsDefault(a)))
            return false;
        for (var i = 0; i < values.Length; i++)
            if (values[i] != (i % 4 == i / 4 % 4 ? 1 : 0)) return false;
        return true;
    }

    private static bool IsDefault(OnnxAttribute a) => a.Name switch
    {
        "auto_pad" => a.S is "" or "NOTSET",
        "dilations" => a.Ints!.All(v => v == 1),
        _ => a.Ints!.All(v => v == 0),
    };

    private static long Int(OnnxNode node, string name) => node.Attribute(name)?.I ?? 0;

    /// <summary>Drops every node none of whose outputs is read (by a node or as a graph output), until none is left.</summary>
    private static void DropUnread(List<OnnxNode> nodes, HashSet<string> outputs)
    {
        while (true)
        {
            var read = nodes.SelectMany(n => n.Inputs).Concat(outputs).ToHashSet();
            if (nodes.RemoveAll(n => !n.Outputs.Any(read.Contains)) == 0) return;
        }
    }
}
