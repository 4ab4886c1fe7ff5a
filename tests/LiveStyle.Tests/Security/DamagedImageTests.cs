using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Security;

/// <summary>
/// Damaged images in every command that reads them: OpenCV decodes a JPEG cut off after 3 kB into grey stripes
/// without complaint, so the container's own structure is checked first (issue 11).
/// </summary>
public sealed class DamagedImageTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Damages => new() { "jpeg-3000-bytes", "png-cut-in-image-data", "random-bytes" };

    private string Make(string damage)
    {
        switch (damage)
        {
            case "jpeg-3000-bytes":
                var jpeg = File.ReadAllBytes(TestPaths.ContentImage("tubingen.jpg"));
                File.WriteAllBytes(_dir["cut.jpg"], jpeg[..3000]);
                return _dir["cut.jpg"];
            case "png-cut-in-image-data":
                var png = ImageCodec.Encode(TestImages.Photo(160, 120), ".png");
                File.WriteAllBytes(_dir["cut.png"], png[..(png.Length * 2 / 3)]);
                return _dir["cut.png"];
            default:
                var noise = new byte[5000];
                new Random(7).NextBytes(noise);
                File.WriteAllBytes(_dir["noise.jpg"], noise);
                return _dir["noise.jpg"];
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void StylizeRefusesItAndWritesNothing(string damage)
    {
        var input = Make(damage);
        var r = CliRunner.Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", input, "-o", _dir["out.jpg"]);
        CliRunner.AssertCleanFailure(r, input);
        Assert.False(File.Exists(_dir["out.jpg"]));
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void AFolderReportsTheDamagedFileAndFailsOverall(string damage)
    {
        Directory.CreateDirectory(_dir["in"]);
        var damaged = Make(damage);
        File.Copy(damaged, Path.Combine(_dir["in"], "bad" + Path.GetExtension(damaged)));
        ImageCodec.Write(Path.Combine(_dir["in"], "good.png"), TestImages.Gradient(40, 30));
        var r = CliRunner.Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in"], "-o", _dir["out"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("bad", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir["out"], "bad.jpg")) || File.Exists(Path.Combine(_dir["out"], "bad.png")));
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void TrainingRefusesADamagedStyleImage(string damage)
    {
        Directory.CreateDirectory(_dir["photos"]);
        ImageCodec.Write(Path.Combine(_dir["photos"], "a.png"), TestImages.Gradient(64, 64));
        var style = Make(damage);
        var r = CliRunner.Run("train", "--style", style, "--data", _dir["photos"], "--vgg", _dir["none.pth"], "-o", _dir["m.safetensors"], "--steps", "1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(style, r.Stderr);
        Assert.False(File.Exists(_dir["m.safetensors"]));
    }
}
