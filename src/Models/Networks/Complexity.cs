namespace LiveStyle.Models.Networks;

/// <summary>Multiply-adds of a <see cref="TransformNetConfig"/> per input pixel, counted layer by layer.</summary>
public static class Complexity
{
    /// <summary>GFLOPs (2 per multiply-add) to stylize one megapixel.</summary>
    public static double GflopsPerMegapixel(TransformNetConfig c) => 2 * MacsPerPixel(c) * 1e6 / 1e9;

    public static double MacsPerPixel(TransformNetConfig c)
    {
        double c1 = c.Channels[0], c2 = c.Channels[1], c3 = c.Channels[2];
        double f2 = c.PixelUnshuffle * c.PixelUnshuffle, edge = c.EdgeKernel * c.EdgeKernel * 3 * f2;
        const double quarter = 1 / 4.0, sixteenth = 1 / 16.0;
        var macs = edge * c1 + quarter * 9 * c1 * c2 + sixteenth * 9 * c2 * c3;
        var residualConv = c.Residual == ResidualKind.Standard ? 9 * c3 * c3 : 9 * c3 + c3 * c3;
        macs += sixteenth * c.ResidualBlocks * 2 * residualConv;
        macs += c.Upsample == UpsampleKind.TransposedConv
            ? sixteenth * 9 * c3 * c2 + quarter * 9 * c2 * c1   // each input pixel scatters a 3x3 kernel
            : quarter * 9 * c3 * c2 + 9 * c2 * c1;              // 3x3 conv after doubling
        return (macs + edge * c1) / f2; // every layer runs at 1/f² of the pixels
    }
}
