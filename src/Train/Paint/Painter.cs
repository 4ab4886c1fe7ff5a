using System.Diagnostics;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;
using LiveStyle.Train.Loss;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Paint;

/// <summary>One evaluation of the objective: where (scale, iteration) and the weighted losses.</summary>
public sealed record PaintReport(int Scale, int Scales, int Width, int Height, int Iteration, int Iterations, int Evaluation,
    double Total, double Content, double Style, double Tv, double IterationsPerSecond);

public sealed record PaintResult(Image Image, bool Completed, int Iterations, double IterationsPerSecond);

/// <summary>
/// The optimisation-based method (Gatys, Ecker and Bethge 2016): the pixels of one image are changed
/// by L-BFGS or Adam until its features match the photo's and its Gram matrices the paintings',
/// coarse to fine. Reports every evaluation; stops early, keeping the image so far, on cancellation.
/// </summary>
public sealed class Painter(ILossNetwork network, PaintSettings settings)
{
    public PaintResult Paint(Image content, IReadOnlyList<(Image Image, double Weight)> styles, Image? start, Action<PaintReport> report,
        Action<Image>? preview, CancellationToken cancel)
    {
        CheckSizes(content, styles);
        var device = settings.Device ?? Device.Cpu;
        network.To(device, settings.NetworkDtype);
        Torch.ManualSeed((ulong)settings.Seed);
        var sizes = settings.ScaleSizes;
        Tensor? x = null;
        var totalIterations = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var scale = 0; scale < sizes.Count; scale++)
            {
                var (w, h) = Scaled(content, sizes[scale]);
                var photoImage = content.Resize(w, h);
                var photo = Planar(photoImage);
                var paintings = styles.Select(s =>
                {
                    var (sw, sh) = Scaled(s.Image, Math.Max(w, h) * settings.StyleScale);
                    var planar = Planar(s.Image.Resize(sw, sh));
                    return (Pixels: settings.Color switch
                    {
                        ColorMode.Histogram => ColorPreservation.MatchHistogram(planar, photo),
                        ColorMode.Luminance => ColorPreservation.MatchLuminance(ColorPreservation.Luminance(planar), ColorPreservation.Luminance(photo)),
                        _ => planar,
                    }, Width: sw, Height: sh, s.Weight);
                }).ToList();
                var target = settings.Color == ColorMode.Luminance ? ColorPreservation.Luminance(photo) : photo;

                using var objective = MakeObjective(target, w, h, paintings, device);
                var next = x == null ? Start(target, w, h, start, device) : Upsample(x, h, w);
                x?.Dispose();
                x = next;
                x.RequiresGrad = true;
                var iterations = scale == 0 ? settings.Iterations : settings.RefineIterations;
                var completed = Optimise(objective, x, iterations, scale, sizes.Count, w, h, ref totalIterations, clock, report,
                    preview == null || settings.PreviewEvery <= 0 ? null : () => preview(ToImage(x, photoImage, photo)), cancel);
                var rate = totalIterations / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                if (scale == sizes.Count - 1) return new PaintResult(ToImage(x, photoImage, photo), completed, totalIterations, rate);
                if (!completed)
                {
                    // Stopped at a coarser scale: the picture so far at the size asked for, enlarged as the next scale starts from it.
                    var (fw, fh) = Scaled(content, sizes[^1]);
                    var finalPhoto = content.Resize(fw, fh);
                    using var enlarged = Upsample(x, fh, fw);
                    return new PaintResult(ToImage(enlarged, finalPhoto, Planar(finalPhoto)), false, totalIterations, rate);
                }
            }
            throw new InvalidOperationException("no scales to paint");
        }
        finally
        {
            x?.Dispose();
        }
    }

    /// <summary>The smallest shorter side the loss networks take: SqueezeNet halves it four times before fire7, VGG before relu5_1.</summary>
    private const int MinimumSide = 32;

    /// <summary>Fails before anything is allocated when a scale would be too small for the network or a picture over the pixel limit.</summary>
    private void CheckSizes(Image content, IReadOnlyList<(Image Image, double Weight)> styles)
    {
        var sizes = settings.ScaleSizes;
        var (w0, h0) = Scaled(content, sizes[0]);
        if (Math.Min(w0, h0) < MinimumSide)
            throw new ArgumentException($"the first scale would be {w0}x{h0}; its shorter side must be at least {MinimumSide} pixels (raise --size or lower --scales)");
        var (w, h) = Scaled(content, sizes[^1]);
        PixelLimit.Check(w, h, "the painted picture");
        foreach (var (image, _) in styles)
        {
            var (sw, sh) = Scaled(image, Math.Max(w, h) * settings.StyleScale);
            PixelLimit.Check(sw, sh, "a painting at --style-scale");
        }
    }

    private PaintObjective MakeObjective(float[] target, int w, int h, List<(float[] Pixels, int Width, int Height, double Weight)> paintings, Device device)
    {
        using var scope = Torch.NewDisposeScope();
        var contentTensor = Torch.FromArray(target, 1, 3, h, w).To(device);
        var styleTensors = paintings.Select(p => (Torch.FromArray(p.Pixels, 1, 3, p.Height, p.Width).To(device), p.Weight)).ToList();
        return new PaintObjective(network, settings.Recipe, contentTensor, styleTensors);
    }

    /// <summary>Runs one scale's optimisation; false when cancelled.</summary>
    private bool Optimise(PaintObjective objective, Tensor x, int iterations, int scale, int scales, int w, int h, ref int totalIterations,
        Stopwatch clock, Action<PaintReport> report, Action? preview, CancellationToken cancel)
    {
        var iteration = 0;
        var evaluation = 0;
        var done = totalIterations;
        double Closure()
        {
            using var scope = Torch.NewDisposeScope();
            x.ZeroGrad();
            var (total, c, s, tv) = objective.Loss(x);
            var value = total.Item();
            if (!double.IsFinite(value))
                throw new Data.TrainingException($"the loss went to {value} at iteration {iteration}, not a finite number (a layer weight or learning rate overflows float32); nothing was written");
            total.Backward();
            report(new PaintReport(scale, scales, w, h, iteration, iterations, ++evaluation, value, c, s, tv, done / Math.Max(1e-3, clock.Elapsed.TotalSeconds)));
            return value;
        }
        bool AfterIteration()
        {
            iteration++;
            done++;
            if (preview != null && done % settings.PreviewEvery == 0) preview();
            return !cancel.IsCancellationRequested;
        }

        try
        {
            if (settings.Optimizer == PaintOptimizer.Lbfgs)
            {
                // No convergence tolerances: the losses are means over pixels, so at 1024 pixels and up the gradient and the
                // change per step fall under any absolute tolerance at once (the first step ended the run and left the photo).
                // The iteration count asked for is the budget.
                using var lbfgs = new Lbfgs(x, settings.LearningRate, iterations, historySize: settings.History,
                    toleranceGrad: 0, toleranceChange: 0, strongWolfe: settings.LineSearch);
                lbfgs.Step(Closure, AfterIteration);
            }
            else
            {
                using var adam = new Adam([x], settings.LearningRate);
                while (iteration < iterations && !cancel.IsCancellationRequested)
                {
                    Closure();
                    adam.StepOnce();
                    if (!AfterIteration()) break;
                }
            }
        }
        finally
        {
            totalIterations = done;
        }
        return !cancel.IsCancellationRequested;
    }

    private Tensor Start(float[] target, int w, int h, Image? start, Device device)
    {
        using var scope = Torch.NewDisposeScope();
        var x = settings.Start switch
        {
            PaintStart.Noise => Torch.Rand([1, 3, h, w]) * 255.0,
            PaintStart.Image => Torch.FromArray(Planar(start!.Resize(w, h)), 1, 3, h, w),
            _ => Torch.FromArray(target, 1, 3, h, w),
        };
        return x.To(device).Contiguous().MoveToOuterScope();
    }

    private static Tensor Upsample(Tensor x, int h, int w)
    {
        using var noGrad = Torch.NoGrad();
        using var detached = x.Detach();
        using var up = UpsampleBilinear(detached, h, w);
        return up.Contiguous();
    }

    /// <summary>The image so far in 8 bits; with luminance-only transfer, the photo's chrominance put back.</summary>
    private Image ToImage(Tensor x, Image photoImage, float[] photo)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var pixels = x.Detach().To(Device.Cpu);
        if (settings.Color == ColorMode.Luminance)
            pixels = Torch.FromArray(ColorPreservation.WithChrominanceOf(pixels.ToArray<float>(), photo), pixels.Shape);
        return ImageTensors.ToImage(pixels, photoImage);
    }

    /// <summary>The image's size scaled so its longer side is <paramref name="longer"/> (up or down).</summary>
    public static (int Width, int Height) Scaled(Image image, double longer)
    {
        var scale = longer / Math.Max(image.Width, image.Height);
        return (Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
    }

    /// <summary>RGB planes (3·H·W floats, 0..255), as the networks take them.</summary>
    private static float[] Planar(Image image)
    {
        using var tensor = ImageTensors.ToTensor(image);
        return tensor.ToArray<float>();
    }
}
