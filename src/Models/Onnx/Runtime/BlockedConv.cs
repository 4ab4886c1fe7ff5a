namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>ONNX Runtime's blocked (NCHWc) convolutions in its optimised graph, as the rewrites that replace them read them.</summary>
internal static class BlockedConv
{
    /// <summary>The domain of ONNX Runtime's NCHWc nodes: its convolutions and the reorders around them.</summary>
    public const string Domain = "com.microsoft.nchwc";

    /// <summary>
    /// A blocked convolution with this square kernel and stride and nothing else: no padding, dilation or groups, and no
    /// fourth input (a tensor added to the result, which would keep the old size when a rewrite changes it).
    /// </summary>
    public static bool IsPlain(OnnxNode conv, long kernel, long stride) =>
        conv is { OpType: "Conv", Domain: Domain } && conv.Inputs.Count is 2 or 3
        && conv.Attribute("kernel_shape")?.Ints is [var kh, var kw] && kh == kernel && kw == kernel
        && (conv.Attribute("strides")?.Ints ?? [1, 1]) is [var sh, var sw] && sh == stride && sw == stride
        && (conv.Attribute("dilations")?.Ints ?? []).All(v => v == 1) && (conv.Attribute("pads")?.Ints ?? []).All(v => v == 0)
        && (conv.Attribute("group")?.I ?? 1) == 1 && conv.Attribute("auto_pad")?.S is null or "" or "NOTSET";

    /// <summary>
    /// Where weight (output <paramref name="o"/>, input <paramref name="i"/>, kernel tap <paramref name="tap"/> of
    /// <paramref name="taps"/>) lies in MLAS's blocked filter layout, [O/B][I/B][taps][B in][B out] (OIHWBiBo), for
    /// <paramref name="inputs"/> input channels, a multiple of the block.
    /// </summary>
    public static long FilterIndex(long o, long i, int tap, int taps, long inputs, int block) =>
        ((o / block * (inputs / block) + i / block) * taps + tap) * block * block + i % block * block + o % block;

    /// <summary>The same convolution with a square kernel of another size, reading these inputs.</summary>
    public static OnnxNode WithKernel(OnnxNode conv, long kernel, IReadOnlyList<string> inputs, string? name = null) => conv with
    {
        Inputs = inputs,
        Attributes = [.. conv.Attributes.Select(a => a.Name == "kernel_shape" ? OnnxAttribute.Of("kernel_shape", kernel, kernel) : a)],
        Name = name ?? conv.Name,
    };
}
