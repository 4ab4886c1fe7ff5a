using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;

namespace LiveStyle.Models.Onnx;

/// <summary>
/// Collects the nodes and initializers of one ONNX graph as a network's layers emit them (each layer's
/// <c>Emit</c> sits beside its <c>Forward</c>). Values are named by the node that makes them; sizes that
/// depend on the input are computed in the graph (Shape, Slice, arithmetic), so height and width stay dynamic.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly Dictionary<string, string> _constants = [];
    private readonly Dictionary<Tensor, string> _parameterNames;
    private int _next;

    /// <param name="parameters">The network's named parameters, so initializers keep the state dict's names.</param>
    public OnnxGraphBuilder(IEnumerable<(string Name, Tensor Value)> parameters) =>
        _parameterNames = parameters.ToDictionary<(string Name, Tensor Value), Tensor, string>(p => p.Value, p => p.Name, ReferenceEqualityComparer.Instance);

    public string Node(string op, string[] inputs, params OnnxAttribute[] attributes)
    {
        var name = $"{op}_{_next++}";
        _nodes.Add(new OnnxNode(op, inputs, [name], attributes, name));
        return name;
    }

    /// <summary>A parameter as a float32 initializer named as in the state dict.</summary>
    public string Weight(Tensor value) => Weight(_parameterNames.GetValueOrDefault(value) ?? $"param_{_next++}", value);

    private string Weight(string name, Tensor value)
    {
        using var host = value.To(Device.Cpu, ScalarType.Float32);
        using var contiguous = host.Contiguous();
        return Floats(name, contiguous.ToArray<float>(), value.Shape);
    }

    public string Floats(string name, float[] data, long[] dims)
    {
        _initializers.Add(new OnnxTensor(name, dims, OnnxDataType.Float, Floats: data));
        return name;
    }

    /// <summary>A 1-D int64 constant (shared between nodes that use the same values).</summary>
    public string Ints(params long[] values)
    {
        var key = "i:" + string.Join(",", values);
        if (_constants.TryGetValue(key, out var existing)) return existing;
        var name = $"const_{_constants.Count}";
        _initializers.Add(new OnnxTensor(name, [values.Length], OnnxDataType.Int64, Int64s: values));
        return _constants[key] = name;
    }

    /// <summary>A float32 constant of the given shape.</summary>
    public string Floats(long[] dims, params float[] values)
    {
        var key = $"f{string.Join("x", dims)}:" + string.Join(",", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        if (_constants.TryGetValue(key, out var existing)) return existing;
        return _constants[key] = Floats($"const_{_constants.Count}", values, dims);
    }

    /// <summary>[H, W] of an NCHW value, as int64.</summary>
    public string SpatialSize(string x) => Node("Slice", [Node("Shape", [x]), Ints(2), Ints(4)]);

    /// <summary>x[:, :, starts[0]:ends[0], starts[1]:ends[1]], bounds given as int64 [2] values.</summary>
    public string CropSpatial(string x, string starts, string ends) => Node("Slice", [x, starts, ends, Ints(2, 3)]);

    public string Conv(Conv2d conv, string x, params OnnxAttribute[] padding) =>
        Node("Conv", conv.Bias is { } bias ? [x, Weight(conv.Weight), Weight(bias)] : [x, Weight(conv.Weight)],
            [OnnxAttribute.Of("kernel_shape", conv.Kernel, conv.Kernel), OnnxAttribute.Of("strides", conv.Stride, conv.Stride),
             OnnxAttribute.Of("group", (long)conv.Groups), .. padding]);

    public string ConvTranspose(ConvTranspose2d conv, string x) =>
        Node("ConvTranspose", conv.Bias is { } bias ? [x, Weight(conv.Weight), Weight(bias)] : [x, Weight(conv.Weight)],
            OnnxAttribute.Of("kernel_shape", conv.Kernel, conv.Kernel), OnnxAttribute.Of("strides", conv.Stride, conv.Stride));

    public string InstanceNorm(InstanceNorm2d norm, string x) =>
        Node("InstanceNormalization", _conditional.TryGetValue(norm, out var computed) ? [x, computed.Scale, computed.Shift] : [x, Weight(norm.Weight), Weight(norm.Bias)],
            OnnxAttribute.Of("epsilon", (float)norm.Eps));

    private readonly Dictionary<InstanceNorm2d, (string Scale, string Shift)> _conditional = new(ReferenceEqualityComparer.Instance);

    /// <summary>A conditional instance norm: its scale and shift are values computed in the graph (from a style vector input) instead of its parameters.</summary>
    public void Condition(InstanceNorm2d norm, string scale, string shift) => _conditional[norm] = (scale, shift);

    public string Relu(string x) => Node("Relu", [x]);

    /// <summary>
    /// Depth-to-space in pixel_shuffle's channel order (channel c·f² + i·f + j becomes pixel (i, j) of channel c, ONNX's
    /// CRD mode), as a grouped transposed convolution with one-hot weights: exact, since each output is one input times
    /// 1, and on ONNX Runtime's CPU several times faster than its DepthToSpace, which permutes element by element.
    /// </summary>
    public string PixelShuffle(string x, long channels, long factor) =>
        Node("ConvTranspose", [x, OneHotPixels(channels, factor)], OnnxAttribute.Of("kernel_shape", factor, factor),
            OnnxAttribute.Of("strides", factor, factor), OnnxAttribute.Of("group", channels));

    /// <summary>The inverse of <see cref="PixelShuffle"/> (pixel_unshuffle's order), as a grouped strided convolution with the same one-hot weights.</summary>
    public string PixelUnshuffle(string x, long channels, long factor) =>
        Node("Conv", [x, OneHotPixels(channels, factor)], OnnxAttribute.Of("kernel_shape", factor, factor),
            OnnxAttribute.Of("strides", factor, factor), OnnxAttribute.Of("group", channels));

    /// <summary>[c·f², 1, f, f]: filter c·f² + i·f + j is 1 at (i, j), the same as a Conv's and a ConvTranspose's weight.</summary>
    private string OneHotPixels(long channels, long factor)
    {
        var f2 = factor * factor;
        var values = new float[channels * f2 * f2];
        for (var filter = 0L; filter < channels * f2; filter++) values[filter * f2 + filter % f2] = 1;
        return Floats([channels * f2, 1, factor, factor], values);
    }

    public OnnxGraph Build(string name, OnnxValueInfo input, string output, OnnxValueInfo outputInfo) => Build(name, [input], output, outputInfo);

    public OnnxGraph Build(string name, IReadOnlyList<OnnxValueInfo> inputs, string output, OnnxValueInfo outputInfo)
    {
        var nodes = _nodes.ToList();
        nodes.Add(new OnnxNode("Identity", [output], [outputInfo.Name], [], "output"));
        return new OnnxGraph(name, nodes, _initializers.ToList(), inputs, [outputInfo]);
    }
}
