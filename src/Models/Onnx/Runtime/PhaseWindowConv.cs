namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>
/// An upsampling convolution written as phases (UpsampleLayer's nearest ×2 and 3x3 convolution at the input's size)
/// gives each output phase (p, q) a 3x3 kernel that is zero outside rows p..p+1 and columns q..q+1: the upsampled image
/// repeats each pixel, so each phase sees only a 2x2 window. ONNX Runtime multiplies the zeros all the same. Here the
/// convolution becomes a 2x2 one, one row and column larger, whose pixel (i + p, j + q) is phase (p, q)'s pixel (i, j):
/// 4 of every 9 multiply-adds, the offsets left to the pixel shuffle that reads it (<see cref="BlockedNormSpec.PhaseOffsets"/>).
/// The weights are ONNX Runtime's own, already in its blocked filter layout ([O/B][I/B][kh·kw][B in][B out], MLAS's
/// OIHWBiBo) by the time its optimised graph is read.
/// </summary>
internal static class PhaseWindowConv
{
    /// <summary>
    /// The 2x2 convolution and its weights for this blocked 3x3 convolution whose output channel 4c + 2p + q is phase (p, q)
    /// of channel c; null unless it is exactly that (stride 1, no padding or dilation or groups, zeros outside every window).
    /// </summary>
    public static (OnnxNode Conv, OnnxTensor Weights)? Of(OnnxNode conv, IReadOnlyDictionary<string, OnnxTensor> initializers, int block)
    {
        if (!BlockedConv.IsPlain(conv, kernel: 3, stride: 1)
            || !initializers.TryGetValue(conv.Inputs[1], out var w) || w.Floats is not { } values || w.Dims is not [var outputs, var inputs, 3, 3]
            || outputs % block != 0 || inputs % block != 0 || block % 4 != 0 || values.Length != outputs * inputs * 9)
            return null;
        long At(long o, long i, int tap, int taps) => BlockedConv.FilterIndex(o, i, tap, taps, inputs, block);
        var windows = new float[outputs * inputs * 4];
        for (var o = 0L; o < outputs; o++)
        {
            int p = (int)(o >> 1 & 1), q = (int)(o & 1);
            for (var i = 0L; i < inputs; i++)
                for (var tap = 0; tap < 9; tap++)
                {
                    int ky = tap / 3 - p, kx = tap % 3 - q;
                    var value = values[At(o, i, tap, 9)];
                    if (ky is 0 or 1 && kx is 0 or 1) windows[At(o, i, 2 * ky + kx, 4)] = value;
                    else if (value != 0) return null;
                }
        }
        var weights = new OnnxTensor($"{w.Name}_phase_windows", [outputs, inputs, 2, 2], w.Type, windows);
        return (BlockedConv.WithKernel(conv, 2, [conv.Inputs[0], weights.Name, .. conv.Inputs.Skip(2)]), weights);
    }
}
