using LiveStyle.Tensors;

namespace LiveStyle.Train.Loss;

/// <summary>The losses of style transfer on a loss network's features: Gram matrices and total variation.</summary>
public static class StyleLosses
{
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

    /// <summary>Mean absolute difference between neighbouring pixels, vertically plus horizontally.</summary>
    public static Tensor TotalVariation(Tensor y) => NeighbourPenalty(y, d => d.Abs());

    /// <summary>Mean squared difference between neighbouring pixels, vertically plus horizontally: smooth, as L-BFGS wants.</summary>
    public static Tensor SquaredTotalVariation(Tensor y) => NeighbourPenalty(y, d => d.Square());

    private static Tensor NeighbourPenalty(Tensor y, Func<Tensor, Tensor> penalty)
    {
        long h = y.Size(2), w = y.Size(3);
        using var down = y.Narrow(2, 1, h - 1);
        using var up = y.Narrow(2, 0, h - 1);
        using var right = y.Narrow(3, 1, w - 1);
        using var left = y.Narrow(3, 0, w - 1);
        using var dv = down - up;
        using var dh = right - left;
        using var pv = penalty(dv);
        using var ph = penalty(dh);
        using var mv = pv.Mean();
        using var mh = ph.Mean();
        return mv + mh;
    }
}
