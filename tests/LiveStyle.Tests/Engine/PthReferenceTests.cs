using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>pytorch/examples TransformerNet checkpoints, both file formats, against PyTorch's own output for the same input.</summary>
public sealed class PthReferenceTests : IClassFixture<PthReferenceTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public const int Height = 28, Width = 36;
        public TempDir Dir { get; } = new();
        public float[] Input { get; }
        public float[] Expected { get; }

        public Fixture()
        {
            var image = TestImages.Photo(Width, Height, "golden_gate.jpg");
            using var t = ImageTensors.ToTensor(image);
            Input = t.ToArray<float>();
            Expected = PyTorchFixtures.Make(Dir.Path, Input, Height, Width);
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly Fixture _f;

    public PthReferenceTests(Fixture f) => _f = f;

    [Theory]
    [InlineData("model_zip.pth", Models.Inference.Engine.Auto)]
    [InlineData("model_legacy.pth", Models.Inference.Engine.Auto)]
    [InlineData("model_zip.pth", Models.Inference.Engine.Torch)]
    public void MatchesPyTorchWithinOneLevel(string file, Models.Inference.Engine engine)
    {
        using var model = StyleModel.Load(_f.Dir[file], Device.Cpu, Precision.Fp32, engine);
        Assert.Equal("full", model.Architecture);
        using var input = Torch.FromArray(_f.Input, 1, 3, Fixture.Height, Fixture.Width);
        using var output = model.Stylize(input);
        var actual = output.ToArray<float>();
        PixelComparison.AssertMatches(actual, _f.Expected);
        Assert.True(PixelComparison.Psnr(actual, _f.Expected) >= 40, $"PSNR {PixelComparison.Psnr(actual, _f.Expected):F1} dB");
        Assert.True(_f.Expected.Max() - _f.Expected.Min() > 20, "the reference output should not be flat");
    }

    [Fact]
    public void LegacyFileDropsDeprecatedRunningStatistics()
    {
        var legacy = PthFile.ReadStateDict(_f.Dir["model_legacy.pth"]);
        var zip = PthFile.ReadStateDict(_f.Dir["model_zip.pth"]);
        Assert.DoesNotContain(legacy.Keys, k => k.Contains("running_"));
        Assert.Equal(zip.Keys.Order(), legacy.Keys.Order());
        Assert.Equal(zip["res3.conv2.conv2d.weight"].Data, legacy["res3.conv2.conv2d.weight"].Data);
    }

    [Fact]
    public void RefusesNonStateDicts()
    {
        var e = Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(_f.Dir["not_state_dict.pth"]));
        Assert.Contains("state dict", e.Message);
        var whole = Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(_f.Dir["whole_model.pth"]));
        Assert.Contains("__main__", whole.Message);
    }

    [Fact]
    public void RefusesTruncatedCheckpoints()
    {
        foreach (var file in new[] { "model_zip.pth", "model_legacy.pth" })
        {
            var bytes = File.ReadAllBytes(_f.Dir[file]);
            var cut = _f.Dir["cut_" + file];
            File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
            Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(cut));
        }
    }
}
