using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Tensors.Nn;

/// <summary>
/// 2-D transposed convolution with weight [in, out, k, k] and no padding: output size (n-1)*stride + k
/// (callers crop). The common stride-2 3x3 case runs as an equivalent sub-pixel convolution, because
/// libtorch's CPU transposed convolution is an order of magnitude slower than its regular one.
/// </summary>
public sealed class ConvTranspose2d : Module
{
    // For output row p = 2m + phase, tap t of a 2-row window over the input padded by one row (rows m-1, m)
    // uses kernel row SubPixelTaps[phase * 2 + t]; 3 is an all-zero row (odd rows have one tap only).
    private static readonly long[] SubPixelTaps = [2, 0, 3, 1];

    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, bool bias = true)
    {
        Kernel = kernel;
        Stride = stride;
        OutChannels = outChannels;
        var fanIn = (long)outChannels * kernel * kernel;
        Weight = RegisterParameter("weight", Init.Uniform([inChannels, outChannels, kernel, kernel], fanIn));
        if (bias) Bias = RegisterParameter("bias", Init.Uniform([outChannels], fanIn));
    }

    public int Kernel { get; }
    public int Stride { get; }
    public int OutChannels { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input)
    {
        if (Kernel == 3 && Stride == 2) return SubPixel(input);
        if (!NeedsCast(Weight, input)) return ConvTranspose2d(input, Weight, Bias, Stride);
        using var weight = Weight.To(input.Dtype);
        using var bias = Bias?.To(input.Dtype);
        return ConvTranspose2d(input, weight, bias, Stride);
    }

    private Tensor SubPixel(Tensor x)
    {
        long h = x.Size(2), w = x.Size(3), co = OutChannels, ci = Weight.Size(0);
        using var subPixel = SubPixelKernel(co, ci);
        using var castKernel = NeedsCast(subPixel, x) ? subPixel.To(x.Dtype) : null;
        var kernel = castKernel ?? subPixel;
        using var padded = Pad2d(x, 1, 1, 1, 1, PaddingMode.Zeros);
        using var phases = Conv2d(padded, kernel);
        using var shuffled = PixelShuffle(phases, 2);
        using var rows = shuffled.Narrow(2, 0, 2 * h + 1);
        var full = rows.Narrow(3, 0, 2 * w + 1);
        if (Bias == null) return full;
        using (full)
        using (var b = Bias.Reshape(1, co, 1, 1))
        using (var cast = NeedsCast(b, full) ? b.To(full.Dtype) : null)
            return full + (cast ?? b);
    }

    /// <summary>[in, out, 3, 3] to [out*4, in, 2, 2] with channel out*4 + rowPhase*2 + colPhase, as pixel shuffle expects.</summary>
    private Tensor SubPixelKernel(long co, long ci)
    {
        using var withZeroTap = Pad2d(Weight, 0, 1, 0, 1, PaddingMode.Zeros);          // [ci, co, 4, 4]
        using var outFirst = withZeroTap.Permute(1, 0, 2, 3);                          // [co, ci, 4, 4]
        using var rows = outFirst.IndexSelect(2, SubPixelTaps);
        using var taps = rows.IndexSelect(3, SubPixelTaps);                            // [co, ci, (py,ty), (px,tx)]
        using var split = taps.Reshape(co, ci, 2, 2, 2, 2);                            // [co, ci, py, ty, px, tx]
        using var ordered = split.Permute(0, 2, 4, 1, 3, 5);                           // [co, py, px, ci, ty, tx]
        return ordered.Reshape(co * 4, ci, 2, 2);
    }
}
