using LiveStyle.Tensors;

namespace LiveStyle.Train.Loss;

/// <summary>Johnson et al.'s losses: Gram-matrix style loss, feature content loss, total variation; ImageNet normalisation for VGG.</summary>
public static class StyleLosses
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f];

    /// <summary>RGB 0..255 → (x/255 − mean) / std per channel, as torchvision's VGG weights expect.</summary>
    public static Tensor Normalize(Tensor rgb255)
    {
        using var mean = Torch.FromArray(Mean.Select(m => m * 255f).ToArray(), 1, 3, 1, 1).To(rgb255.Device);
        using var std = Torch.FromArray(Std.Select(s => s * 255f).ToArray(), 1, 3, 1, 1).To(rgb255.Device);
        using var centred = rgb255 - mean;
        return centred / std;
    }

    /// <summary>
    /// G = F Fᵀ / (C·H·W) per image, F the [C, H·W] features (pytorch/examples' gram_matrix). The product
    /// runs as a grouped 1x1 convolution (Fᵀ as a [H·W-channel, 1 x C] image, F as the kernels, one group
    /// per image): oneDNN computes it, whereas Debian's libtorch has no optimised BLAS (BLAS_INFO=generic)
    /// and runs bmm as plain loops. At the recipe's batch 4 of 256x256 that bmm took 4–12x longer per
    /// layer, most of a training step; on tiny inputs the two are close.
    /// </summary>
    public static Tensor Gram(Tensor features)
    {
        long b = features.Size(0), c = features.Size(1), hw = features.Size(2) * features.Size(3);
        using var f = features.Reshape(b, c, hw);
        using var ft = f.Permute(0, 2, 1);
        using var positionsAsChannels = ft.Reshape(1, b * hw, 1, c);
        using var kernels = features.Reshape(b * c, hw, 1, 1);
        using var products = Functional.Conv2d(positionsAsChannels, kernels, null, groups: (int)b);
        using var g = products.Reshape(b, c, c);
        return g / (c * hw);
    }

    /// <summary>Mean absolute difference between neighbouring pixels, horizontally and vertically.</summary>
    public static Tensor TotalVariation(Tensor y)
    {
        long h = y.Size(2), w = y.Size(3);
        using var down = y.Narrow(2, 1, h - 1);
        using var up = y.Narrow(2, 0, h - 1);
        using var right = y.Narrow(3, 1, w - 1);
        using var left = y.Narrow(3, 0, w - 1);
        using var dv = down - up;
        using var dh = right - left;
        using var av = dv.Abs();
        using var ah = dh.Abs();
        using var mv = av.Mean();
        using var mh = ah.Mean();
        return mv + mh;
    }
}
