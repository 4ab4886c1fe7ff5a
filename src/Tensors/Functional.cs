using static LiveStyle.Tensors.Native.TorchNative;

namespace LiveStyle.Tensors;

public enum PaddingMode { Zeros = 0, Reflect = 1, Replicate = 2 }

/// <summary>Neural-network operations (torch.nn.functional).</summary>
public static class Functional
{
    private static IntPtr H(Tensor? t) => t?.Handle ?? IntPtr.Zero;

    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padH = 0, int padW = 0, int groups = 1) =>
        Tensor.Own(lst_conv2d(x.Handle, weight.Handle, H(bias), stride, padH, padW, groups));

    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1) =>
        Tensor.Own(lst_conv_transpose2d(x.Handle, weight.Handle, H(bias), stride, padding, outputPadding, groups));

    public static Tensor InstanceNorm(Tensor x, Tensor? weight, Tensor? bias, double eps) =>
        x.Device.IsCuda ? InstanceNormByReduction(x, weight, bias, eps) : Tensor.Own(lst_instance_norm(x.Handle, H(weight), H(bias), eps));

    /// <summary>
    /// libtorch's CUDA instance norm runs as batch norm over [1, N·C, H, W], one thread block per channel: with
    /// 3–128 channels of a million pixels each it keeps a few of a GPU's multiprocessors busy and took two
    /// thirds of an H100's time per frame (docs/BENCHMARKS.md). Here the statistics come from a reduction
    /// that spreads each channel over the whole GPU, and the normalisation is one broadcast x·scale + shift.
    /// Statistics and the per-channel arithmetic are float32. Half precision would overflow a variance past
    /// 65504, so fp16 reduces to the standard deviation (whose relative error is what matters) and takes the
    /// mean in float32 (a large mean with a small spread would lose the spread); the deviation's gradient is
    /// infinite on a constant channel, but fp16 does not train.
    /// </summary>
    public static Tensor InstanceNormByReduction(Tensor x, Tensor? weight, Tensor? bias, double eps)
    {
        ReadOnlySpan<long> spatial = [2, 3];
        var channels = x.Size(1);
        Tensor variance, mean;
        if (x.Dtype == ScalarType.Float16)
        {
            var (std, halfMean) = x.StdMean(spatial, keepDim: true);
            halfMean.Dispose();
            using (std)
            using (var std32 = std.To(ScalarType.Float32))
                variance = std32.Square();
            mean = x.Mean(spatial, keepDim: true, ScalarType.Float32);
        }
        else
        {
            var (v, m) = x.VarMean(spatial, keepDim: true);
            using (v) variance = v.To(ScalarType.Float32);
            using (m) mean = m.To(ScalarType.Float32);
        }
        using var _ = variance;
        using var __ = mean;
        using var shifted = variance + eps;
        using var invStd = shifted.Pow(-0.5);
        using var weight32 = weight?.To(ScalarType.Float32);
        using var weightColumn = weight32?.Reshape(1, channels, 1, 1);
        using var scale = weightColumn != null ? invStd * weightColumn : invStd.Alias();
        using var centred = mean * scale;
        using var bias32 = bias?.To(ScalarType.Float32);
        using var biasColumn = bias32?.Reshape(1, channels, 1, 1);
        using var shift = biasColumn != null ? biasColumn - centred : -centred;
        using var scaleAsX = scale.To(x.Dtype);
        using var shiftAsX = shift.To(x.Dtype);
        return shiftAsX.AddCMul(x, scaleAsX);
    }

    /// <summary>Pads the last two dimensions: left, right, top, bottom.</summary>
    public static Tensor Pad2d(Tensor x, int left, int right, int top, int bottom, PaddingMode mode)
    {
        // libtorch 1.13 has no reduced-precision CPU kernels for reflection/replication padding; gathering rows and columns works for every dtype.
        if (mode != PaddingMode.Zeros && x.Dtype is ScalarType.BFloat16 or ScalarType.Float16)
        {
            using var rows = x.IndexSelect(x.Dim - 2, BorderIndex.Of(x.Size(-2), top, bottom, mode));
            return rows.IndexSelect(x.Dim - 1, BorderIndex.Of(x.Size(-1), left, right, mode));
        }
        return Tensor.Own(lst_pad2d(x.Handle, left, right, top, bottom, (int)mode));
    }

    public static Tensor UpsampleNearest(Tensor x, long height, long width) => Tensor.Own(lst_upsample_nearest2d(x.Handle, height, width));

    public static Tensor UpsampleBilinear(Tensor x, long height, long width, bool alignCorners = false) =>
        Tensor.Own(lst_upsample_bilinear2d(x.Handle, height, width, alignCorners ? 1 : 0));

    /// <summary>[N, C*r*r, H, W] to [N, C, H*r, W*r]: out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w].</summary>
    public static Tensor PixelShuffle(Tensor x, int factor) => Tensor.Own(lst_pixel_shuffle(x.Handle, factor));

    /// <summary>The inverse of <see cref="PixelShuffle"/>: [N, C, H*r, W*r] to [N, C*r*r, H, W].</summary>
    public static Tensor PixelUnshuffle(Tensor x, int factor) => Tensor.Own(lst_pixel_unshuffle(x.Handle, factor));

    public static Tensor AvgPool2d(Tensor x, int kernel, int stride) => Tensor.Own(lst_avg_pool2d(x.Handle, kernel, stride));
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride) => Tensor.Own(lst_max_pool2d(x.Handle, kernel, stride));
    public static Tensor MseLoss(Tensor a, Tensor b) => Tensor.Own(lst_mse_loss(a.Handle, b.Handle));
}
