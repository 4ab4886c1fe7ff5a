using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Training;

/// <summary>
/// What training tests need, made here: a VGG-16-shaped network with few channels and seeded random
/// weights under torchvision's names, a handful of small photos plus one corrupt file, a style image.
/// </summary>
public sealed class TrainingFixture : IDisposable
{
    public TempDir Dir { get; } = new();
    public string Vgg => Dir["tiny-vgg16.safetensors"];
    public string Data => Dir["photos"];
    public string Style => Dir["style.png"];

    public TrainingFixture()
    {
        var tensors = LiveStyle.Train.Loss.Vgg.RandomState([4, 8, 8, 8], seed: 7);
        SafeTensorsFile.Write(Vgg, tensors, new Dictionary<string, string>());

        Directory.CreateDirectory(Data);
        string[] photos = ["tubingen.jpg", "golden_gate.jpg", "hoovertowernight.jpg", "amber.jpg"];
        for (var i = 0; i < photos.Length; i++) ImageCodec.Write(Path.Combine(Data, $"p{i}.png"), TestImages.Photo(56, 44, photos[i]));
        ImageCodec.Write(Path.Combine(Data, "p4.png"), TestImages.Gradient(50, 40));
        File.WriteAllBytes(Path.Combine(Data, "corrupt.jpg"), [0xFF, 0xD8, 1, 2, 3]);
        ImageCodec.Write(Style, ImageCodec.Read(Path.Combine(TestPaths.Shared, "images", "styles", "wave.jpg")).Resize(64, 48));
    }

    public void Dispose() => Dir.Dispose();
}
