using System.Text.Json;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;

namespace LiveStyle.Train.Loss;

/// <summary>The 1000 ImageNet class names (Labels.json: {"0": "tench, Tinca tinca", …}) and top-k classification with a loss network.</summary>
public sealed class ImageNetClasses
{
    private const long MaxBytes = 1 << 20;
    private readonly string[] _names;

    private ImageNetClasses(string[] names) => _names = names;

    public IReadOnlyList<string> Names => _names;

    public static ImageNetClasses Load(string path)
    {
        // The ImageNet names take 34 kB; a file far larger (or no regular file) is not a label list and is not read into memory.
        Dictionary<string, string>? map;
        try { map = JsonSerializer.Deserialize<Dictionary<string, string>>(Files.InputFile.ReadAll(path, MaxBytes, "a list of class names")); }
        catch (Files.InputFileException e) { throw new ModelFormatException(e.Message, e); }
        catch (JsonException e) { throw new ModelFormatException($"{path}: not a JSON object of class names ({e.Message})", e); }
        var names = new string[1000];
        // Names are printed: made safe for a terminal and cut, like every text a file brings.
        foreach (var (key, value) in map ?? [])
            if (int.TryParse(key, out var i) && i is >= 0 and < 1000) names[i] = ModelInfo.Sanitize(value, 100);
        var missing = Array.FindIndex(names, n => n == null);
        if (missing >= 0) throw new ModelFormatException($"{path}: no name for class {missing}; expected the 1000 ImageNet classes");
        return new ImageNetClasses(names);
    }

    /// <summary>
    /// The <paramref name="k"/> likeliest classes: the image's shorter side scaled to 256/224 of the
    /// network's size, centre-cropped to it (the usual ImageNet evaluation), softmax over the scores.
    /// </summary>
    public IReadOnlyList<(string Label, double Probability)> Classify(ILossNetwork network, Image image, Device device, int k = 5)
    {
        var size = network.ClassifySize;
        var shorter = (int)Math.Round(size * 256.0 / 224);
        var scale = (double)shorter / Math.Min(image.Width, image.Height);
        int w = Math.Max(size, (int)Math.Round(image.Width * scale)), h = Math.Max(size, (int)Math.Round(image.Height * scale));
        var cropped = image.Resize(w, h).Crop((w - size) / 2, (h - size) / 2, size, size);
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var input = ImageTensors.ToTensor(cropped).To(device);
        var scores = network.Logits(input).To(Device.Cpu).ToArray<float>();
        var max = scores.Max();
        var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select((e, i) => (_names[i], e / sum)).OrderByDescending(p => p.Item2).Take(k).ToList();
    }
}
