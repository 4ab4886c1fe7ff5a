using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Train.Loop;

namespace LiveStyle.Train.Loss;

/// <summary>One stylized image measured with a style objective: its content and style losses, and its photo's own style loss.</summary>
public sealed record StyleMeasurement(double Content, double Style, double PhotoStyle)
{
    /// <summary>How many times closer to the painting's style the stylized image is than its photo.</summary>
    public double Factor => PhotoStyle / Math.Max(Style, 1e-12);
}

/// <summary>`metrics style`: stylized images against a painting's style and their photos' content, with the losses `train` minimises.</summary>
public static class StyleMetric
{
    /// <param name="maxSize">Both images are measured shrunk to this longer side (0: as they are).</param>
    public static StyleMeasurement Measure(StyleObjective objective, string photoPath, string styledPath, int maxSize)
    {
        var stylized = ImageCodec.Read(styledPath);
        var photo = ImageCodec.Read(photoPath);
        if (!Image.IsFittedFrom(stylized.Width, stylized.Height, photo.Width, photo.Height))
            throw new ArgumentException($"{styledPath} is {stylized.Width}x{stylized.Height}, not {photoPath} ({photo.Width}x{photo.Height}) as it is or shrunk by --max-size: pass the photo it was stylized from");
        var (w, h) = stylized.FitWithin(maxSize);
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var x = ImageTensors.ToTensor(photo.Resize(w, h));
        var (_, parts) = objective.Loss(x, ImageTensors.ToTensor(stylized.Resize(w, h)));
        var (_, own) = objective.Loss(x, x);
        return new StyleMeasurement(Part(parts, "content"), Part(parts, "style"), Part(own, "style"));
    }

    private static double Part((string Name, double Value)[] parts, string name) => parts.First(p => p.Name == name).Value;
}
