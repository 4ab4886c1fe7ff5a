using LiveStyle.Media.Pixels;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;

namespace LiveStyle.Pipeline.Measure;

/// <summary>`models compare`: how close one model's stills are to another's (PSNR), each image through both models' still journeys.</summary>
public static class ModelComparison
{
    /// <param name="each">Told each file's PSNR as it is measured.</param>
    public static IReadOnlyList<double> Run(StyleModel reference, StyleModel model, IReadOnlyList<string> files, int maxSize, Action<string, double>? each = null)
    {
        using var expected = new StillJourney(reference);
        using var actual = new StillJourney(model);
        var psnrs = new List<double>(files.Count);
        foreach (var file in files)
        {
            var image = StillJourney.Read(file, maxSize);
            psnrs.Add(Psnr.Of(expected.Stylize(image).Pixels, actual.Stylize(image).Pixels));
            each?.Invoke(file, psnrs[^1]);
        }
        return psnrs;
    }
}
