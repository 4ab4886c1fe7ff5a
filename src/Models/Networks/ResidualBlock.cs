using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;

namespace LiveStyle.Models.Networks;

/// <summary>
/// x + norm(conv(relu(norm(conv(x))))). The depthwise-separable body replaces each 3x3 conv by a
/// per-channel 3x3 conv followed by a 1x1 conv: about 8x fewer multiply-adds at 64 channels.
/// </summary>
public sealed class ResidualBlock : Module
{
    private readonly Module[] _first, _second;
    private readonly InstanceNorm2d _in1, _in2;

    public ResidualBlock(int channels, TransformNetConfig config)
    {
        _first = Body("conv1", channels, config);
        _in1 = RegisterModule("in1", new InstanceNorm2d(channels, config.NormEps));
        _second = Body("conv2", channels, config);
        _in2 = RegisterModule("in2", new InstanceNorm2d(channels, config.NormEps));
    }

    private Module[] Body(string name, int channels, TransformNetConfig config) => config.Residual switch
    {
        ResidualKind.Standard => [RegisterModule(name, new ConvLayer(channels, channels, 3, 1, config.Padding, config.ConvBias))],
        _ =>
        [
            RegisterModule(name + "_dw", new ConvLayer(channels, channels, 3, 1, config.Padding, config.ConvBias, groups: channels)),
            RegisterModule(name + "_pw", new ConvLayer(channels, channels, 1, 1, config.Padding, config.ConvBias)),
        ],
    };

    public override Tensor Forward(Tensor x)
    {
        using var a = Apply(_first, x);
        using var b = _in1.Forward(a);
        using var c = b.Relu();
        using var d = Apply(_second, c);
        using var e = _in2.Forward(d);
        return x + e;
    }

    private static Tensor Apply(Module[] layers, Tensor x)
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
}
