using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Train.Loss;

namespace LiveStyle.Train.Arbitrary;

/// <summary>
/// A painting's style, its vector refined for one photo (<see cref="StyleRefiner"/>): the painting (each of a
/// blend, by its weight) is the style target at the photo's size, the photo the content target.
/// </summary>
public static class PaintingRefinement
{
    public static (Weights Weights, RefineReport Report) Refine(PaintingStyles paintings, PaintingBlend blend, PaintingOptions options, Image photo,
        ILossNetwork lossNetwork, int steps, double learningRate, Action<int, double>? progress = null, CancellationToken cancel = default)
    {
        var read = PaintingStyles.Read(blend, options);
        var (start, provenance) = paintings.Vector(read, options, photo);
        using var scope = Torch.NewDisposeScope();
        var content = ImageTensors.ToTensor(photo);
        var longer = Math.Max(photo.Width, photo.Height);
        var targets = read.Select(p =>
        {
            var (w, h) = Image.Fit(p.Image.Width, p.Image.Height, longer);
            return (ImageTensors.ToTensor(p.Image.Resize(w, h)), (double)p.Weight);
        }).ToList();
        var (style, report) = StyleRefiner.Refine(paintings.Networks.Transformer, start, lossNetwork, content, targets, steps, learningRate, progress, cancel);
        provenance["refined"] = string.Create(CultureInfo.InvariantCulture,
            $"{steps} Adam steps at {learningRate} on {lossNetwork.Name}: style {report.StyleBefore:G4} -> {report.StyleAfter:G4}, content {report.ContentBefore:G4} -> {report.ContentAfter:G4}");
        return (paintings.Networks.Fold(style, blend.Name, provenance), report);
    }
}
