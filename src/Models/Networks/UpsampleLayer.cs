using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Models.Networks;

/// <summary>
/// Doubles resolution to exactly the encoder's size at this depth, so odd inputs come back at
/// their own size. A transposed convolution follows TensorFlow's conv2d_transpose with "SAME"
/// padding (crop the full result starting at floor(pad/2)); nearest-then-conv crops the
/// upsampled map from the top-left, which for sizes divisible by 4 is exactly the original network.
/// </summary>
public sealed class UpsampleLayer : Module
{
    private readonly ConvTranspose2d? _transposed;
    private readonly Conv2d? _conv;
    private readonly BorderPadding _padding;

    public UpsampleLayer(int inChannels, int outChannels, TransformNetConfig config)
    {
        _padding = config.Padding;
        if (config.Upsample == UpsampleKind.TransposedConv)
            _transposed = RegisterModule("conv2d", new ConvTranspose2d(inChannels, outChannels, 3, 2, config.ConvBias));
        else
            _conv = RegisterModule("conv2d", new Conv2d(inChannels, outChannels, 3, 1, config.ConvBias));
    }

    public override Tensor Forward(Tensor x) => Forward(x, x.Size(2) * 2, x.Size(3) * 2);

    public Tensor Forward(Tensor x, long height, long width)
    {
        if (_transposed != null)
        {
            using var full = _transposed.Forward(x);
            using var rows = full.Narrow(2, (full.Size(2) - height) / 2, height);
            return rows.Narrow(3, (full.Size(3) - width) / 2, width);
        }

        using var up = UpsampleNearest(x, x.Size(2) * 2, x.Size(3) * 2);
        if (up.Size(2) == height && up.Size(3) == width) return ConvLayer.PadAndConvolve(_conv!, _padding, up);
        using var cropRows = up.Narrow(2, 0, height);
        using var crop = cropRows.Narrow(3, 0, width);
        return ConvLayer.PadAndConvolve(_conv!, _padding, crop);
    }
}
