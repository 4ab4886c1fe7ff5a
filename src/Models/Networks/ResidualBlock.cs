using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;

namespace LiveStyle.Models.Networks;

/// <summary>
/// x + norm(conv(relu(norm(conv(x))))). The depthwise-separable body replaces each 3x3 conv by a
/// per-channel 3x3 conv followed by a 1x1 conv: about 8x fewer multiply-adds at 64 channels.
/// With unpadded convolutions (Johnson's layout) the shortcut is cropped by 2 pixels on each side.
/// </summary>
public sealed class ResidualBlock : Module
{
    private const int ValidCrop = 2;
    private readonly ConvLayer[] _first, _second;
    private readonly InstanceNorm2d _in1, _in2;
    private readonly bool _cropShortcut;

    public ResidualBlock(int channels, TransformNetConfig config)
    {
        _first = Body("conv1", channels, config);
        _in1 = RegisterModule("in1", new InstanceNorm2d(channels, config.NormEps));
        _second = Body("conv2", channels, config);
        _in2 = RegisterModule("in2", new InstanceNorm2d(channels, config.NormEps));
        _cropShortcut = config.ResidualPadding == ConvPadding.Valid;
    }

    private ConvLayer[] Body(string name, int channels, TransformNetConfig config) => config.Residual switch
    {
        ResidualKind.Standard => [RegisterModule(name, new ConvLayer(channels, channels, 3, 1, config.ResidualPadding, config.ConvBias))],
        _ =>
        [
            RegisterModule(name + "_dw", new ConvLayer(channels, channels, 3, 1, config.ResidualPadding, config.ConvBias, groups: channels)),
            RegisterModule(name + "_pw", new ConvLayer(channels, channels, 1, 1, config.ResidualPadding, config.ConvBias)),
        ],
    };

    public override Tensor Forward(Tensor x)
    {
        using var a = Apply(_first, x);
        using var b = _in1.Forward(a);
        using var c = b.Relu();
        using var d = Apply(_second, c);
        using var e = _in2.Forward(d);
        if (!_cropShortcut) return x + e;
        using var rows = x.Narrow(2, ValidCrop, x.Size(2) - 2 * ValidCrop);
        using var shortcut = rows.Narrow(3, ValidCrop, x.Size(3) - 2 * ValidCrop);
        return shortcut + e;
    }

    public string Emit(OnnxGraphBuilder g, string x, EmitSizes sizes = default)
    {
        var c = g.Relu(g.InstanceNorm(_in1, Emit(_first, g, x, sizes)));
        var e = g.InstanceNorm(_in2, Emit(_second, g, c, sizes));
        var shortcut = _cropShortcut ? g.CropSpatial(x, g.Ints(ValidCrop, ValidCrop), g.Ints(-ValidCrop, -ValidCrop)) : x;
        return g.Node("Add", [shortcut, e]);
    }

    private static Tensor Apply(ConvLayer[] layers, Tensor x)
    {
        var h = layers[0].Forward(x);
        for (var i = 1; i < layers.Length; i++)
        {
            var next = layers[i].Forward(h);
            h.Dispose();
            h = next;
        }
        return h;
    }

    private static string Emit(ConvLayer[] layers, OnnxGraphBuilder g, string x, EmitSizes sizes) =>
        layers.Aggregate(x, (h, layer) => layer.Emit(g, h, sizes));
}
