using LiveStyle.Tensors;
using LiveStyle.Train.Loss;

namespace LiveStyle.Train.Paint;

public enum PaintOptimizer { Lbfgs, Adam }

/// <summary>Where the optimisation starts: the photo, white noise (the paper's), or a given image.</summary>
public enum PaintStart { Content, Noise, Image }

/// <summary>
/// Everything `paint` decides. Sizes are the longer side; the picture is made at <see cref="Scales"/>
/// sizes doubling up to <see cref="Size"/>, <see cref="Iterations"/> at the first and
/// <see cref="RefineIterations"/> at each finer one, each scale starting from the last one's result.
/// </summary>
public sealed record PaintSettings(
    PerceptualRecipe Recipe,
    int Size,
    int Scales,
    int Iterations,
    int RefineIterations,
    PaintOptimizer Optimizer = PaintOptimizer.Lbfgs,
    double LearningRate = 1,
    int History = 100,
    bool LineSearch = false,
    PaintStart Start = PaintStart.Content,
    int Seed = 0,
    double StyleScale = 1,
    ColorMode Color = ColorMode.None,
    Device? Device = null,
    ScalarType NetworkDtype = ScalarType.Float32,
    int PreviewEvery = 0)
{
    /// <summary>The longer side at each scale, coarse to fine.</summary>
    public IReadOnlyList<int> ScaleSizes => Enumerable.Range(0, Scales).Select(k => (int)Math.Round(Size / Math.Pow(2, Scales - 1 - k))).ToList();

    /// <summary>Enough scales that the first is at most 512 pixels: the networks' receptive fields see whole strokes there, and memory stays bounded.</summary>
    public static int AutomaticScales(int size) => size <= 512 ? 1 : 1 + (int)Math.Ceiling(Math.Log2(size / 512.0));

    /// <summary>
    /// L-BFGS keeps two image-sized vectors per remembered step: the history that fits in about
    /// 512 MiB, between 5 and torch's default 100 (100 up to about 470x380 pixels, 7 at 2048x1536),
    /// so that a 2048-pixel picture stays under 4 GB with SqueezeNet's activations.
    /// </summary>
    public static int AutomaticHistory(long pixels) => (int)Math.Clamp((1L << 29) / (2L * 4 * 3 * pixels), 5, 100);
}
