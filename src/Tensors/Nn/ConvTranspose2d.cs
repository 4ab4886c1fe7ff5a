using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Tensors.Nn;

/// <summary>2-D transposed convolution with weight [in, out, k, k] and no padding (callers crop).</summary>
public sealed class ConvTranspose2d : Module
{
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, bool bias = true)
    {
        Kernel = kernel;
        Stride = stride;
        var fanIn = (long)outChannels * kernel * kernel;
        Weight = RegisterParameter("weight", Init.Uniform([inChannels, outChannels, kernel, kernel], fanIn));
        if (bias) Bias = RegisterParameter("bias", Init.Uniform([outChannels], fanIn));
    }

    public int Kernel { get; }
    public int Stride { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => ConvTranspose2d(input, Weight, Bias, Stride);
}
