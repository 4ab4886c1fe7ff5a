using LiveStyle.Capture.Images;
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
        var random = new Random(7);
        var tensors = new Dictionary<string, HostTensor>();
        int[] widths = [4, 8, 8, 8], convs = [2, 2, 3, 3];
        int index = 0, inChannels = 3;
        for (var block = 0; block < 4; block++)
        {
            for (var i = 0; i < convs[block]; i++, index += 2)
            {
                var fanIn = inChannels * 9;
                var w = Enumerable.Range(0, widths[block] * fanIn).Select(_ => (float)(random.NextDouble() * 2 - 1) * MathF.Sqrt(6f / fanIn)).ToArray();
                tensors[$"features.{index}.weight"] = new HostTensor([widths[block], inChannels, 3, 3], w);
                tensors[$"features.{index}.bias"] = new HostTensor([widths[block]], new float[widths[block]]);
                inChannels = widths[block];
            }
            index++;
        }
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
