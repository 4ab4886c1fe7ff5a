namespace LiveStyle.Tensors.Nn;

/// <summary>Instance normalisation over each channel's spatial positions, with learned scale (weight) and shift (bias).</summary>
public sealed class InstanceNorm2d : Module
{
    public InstanceNorm2d(int channels, double eps)
    {
        Eps = eps;
        Weight = RegisterParameter("weight", Torch.Ones([channels]));
        Bias = RegisterParameter("bias", Torch.Zeros([channels]));
    }

    public double Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }

    /// <summary>
    /// A conditional instance norm: scale and shift computed elsewhere (from a style vector, with gradients) used in
    /// place of <see cref="Weight"/> and <see cref="Bias"/> while set. The tensors stay the setter's.
    /// </summary>
    public (Tensor Scale, Tensor Shift)? Conditional { get; set; }

    public override Tensor Forward(Tensor input)
    {
        if (Conditional is var (scale, shift)) return Functional.InstanceNorm(input, scale, shift, Eps);
        if (!NeedsCast(Weight, input)) return Functional.InstanceNorm(input, Weight, Bias, Eps);
        using var weight = Weight.To(input.Dtype);
        using var bias = Bias.To(input.Dtype);
        return Functional.InstanceNorm(input, weight, bias, Eps);
    }
}
