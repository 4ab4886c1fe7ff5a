namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>
/// A 9x9 convolution into a few channels at full size, as the exporter writes it: a 10x10 stride-2 convolution of the
/// padded image giving its 2x2 output phases (channel 4c + 2p + q), whose phase (p, q) kernel is the 9x9 one shifted by
/// (p, q). With 8 input channels ONNX Runtime reads the image in plain NCHW (weights in MLAS's [O/B][I][kh·kw][B out]
/// layout), and of each block of 16 outputs only 4·3 are real. Fed the padded image as its own 2x2 phases instead
/// (<see cref="BlockedNormSpec.PhaseOutput"/>, 4·8 channels in the blocked layout), the same convolution is a 6x6
/// stride-2 one giving the 4x4 output phases (channel 16c + 4p + q): 8% more multiply-adds, but in three whole blocks
/// of outputs, which ONNX Runtime's kernel runs about a fifth faster (docs/BENCHMARKS.md). Output phase (p, q) at (i, j) is pixel (4i + p, 4j + q), tap d of the 9x9 kernel lands on input
/// phase row 2i + ⌊(p + d)/2⌋, row phase (p + d) mod 2.
/// </summary>
internal static class QuarterPhaseConv
{
    /// <summary>
    /// The 6x6 convolution of <paramref name="phases"/> (the padded image's 2x2 phases), its weights and bias, for this one
    /// with <paramref name="outputs"/> real output channels (2x2 phases of outputs/4 channels); null unless it is exactly the
    /// phased 9x9 convolution described above, with blocks of 16.
    /// </summary>
    public static (OnnxNode Conv, OnnxTensor Weights, OnnxTensor Bias)? Of(OnnxNode conv, string phases, long outputs,
        IReadOnlyDictionary<string, OnnxTensor> initializers, int block)
    {
        if (!BlockedConv.IsPlain(conv, kernel: 10, stride: 2) || conv.Inputs.Count != 3 || block % 16 != 0 || outputs % 4 != 0
            || !initializers.TryGetValue(conv.Inputs[1], out var w) || w.Floats is not { } values || w.Dims is not [var padded, var inputs, 10, 10]
            || !initializers.TryGetValue(conv.Inputs[2], out var b) || b.Floats is not { } bias || bias.Length != padded
            || padded % block != 0 || outputs > padded || inputs >= block || 4 * inputs % block != 0 || values.Length != padded * inputs * 100)
            return null;
        var channels = outputs / 4;
        long Old(long o, long i, int ky, int kx) => ((o / block * inputs + i) * 100 + ky * 10 + kx) * block + o % block;
        // Every phase must be the kernel of phase (0, 0) shifted by its own (p, q), zero elsewhere, with one bias.
        for (var o = 0L; o < outputs; o++)
        {
            int p = (int)(o >> 1 & 1), q = (int)(o & 1);
            if (bias[o] != bias[o & ~3]) return null;
            for (var i = 0L; i < inputs; i++)
                for (var ky = 0; ky < 10; ky++)
                    for (var kx = 0; kx < 10; kx++)
                    {
                        int dy = ky - p, dx = kx - q;
                        var expected = dy is >= 0 and <= 8 && dx is >= 0 and <= 8 ? values[Old(o & ~3, i, dy, dx)] : 0f;
                        if (values[Old(o, i, ky, kx)] != expected) return null;
                    }
        }

        long newOutputs = 16 * channels, newInputs = 4 * inputs;
        var weights = new float[newOutputs * newInputs * 36];
        for (var o = 0L; o < newOutputs; o++)
        {
            int p = (int)(o >> 2 & 3), q = (int)(o & 3);
            for (var i = 0L; i < newInputs; i++)
            {
                int rowPhase = (int)(i >> 1 & 1), columnPhase = (int)(i & 1);
                for (var ky = 0; ky < 6; ky++)
                    for (var kx = 0; kx < 6; kx++)
                    {
                        int dy = 2 * ky + rowPhase - p, dx = 2 * kx + columnPhase - q;
                        if (dy is < 0 or > 8 || dx is < 0 or > 8) continue;
                        weights[BlockedConv.FilterIndex(o, i, ky * 6 + kx, 36, newInputs, block)] = values[Old(4 * (o / 16), i / 4, dy, dx)];
                    }
            }
        }
        var newWeights = new OnnxTensor($"{w.Name}_quarter_phases", [newOutputs, newInputs, 6, 6], w.Type, weights);
        var newBias = new OnnxTensor($"{b.Name}_quarter_phases", [newOutputs], b.Type, [.. Enumerable.Range(0, (int)newOutputs).Select(o => bias[4 * (o / 16)])]);
        return (BlockedConv.WithKernel(conv, 6, [phases, newWeights.Name, newBias.Name], $"{conv.Name}_quarter_phases"), newWeights, newBias);
    }
}
