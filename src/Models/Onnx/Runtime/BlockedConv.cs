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
}
