using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Tensors.Nn;

/// <summary>2-D convolution with weight [out, in/groups, k, k]; padding is the caller's business unless given.</summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, int kernel, int stride = 1, bool bias = true, int groups = 1)
    {
        Kernel = kernel;
        Stride = stride;
        Groups = groups;
        var fanIn = (long)inChannels / groups * kernel * kernel;
        Weight = RegisterParameter("weight", Init.Uniform([outChannels, inChannels / groups, kernel, kernel], fanIn));
        if (bias) Bias = RegisterParameter("bias", Init.Uniform([outChannels], fanIn));
    }

    public int Kernel { get; }
    public int Stride { get; }
    public int Groups { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Forward(input, 0, 0);

    public Tensor Forward(Tensor input, int padH, int padW)
    {
        if (!NeedsCast(Weight, input)) return Conv2d(input, Weight, Bias, Stride, padH, padW, Groups);
        using var weight = Weight.To(input.Dtype);
        using var bias = Bias?.To(input.Dtype);
        return Conv2d(input, weight, bias, Stride, padH, padW, Groups);
    }
}
