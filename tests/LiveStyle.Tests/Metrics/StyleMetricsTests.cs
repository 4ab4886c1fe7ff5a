using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Metrics;

/// <summary>`metrics style`: the perceptual losses `train` minimises, measured on results.</summary>
public sealed class StyleMetricsTests
{
    [Fact]
    public void AStylizedPhotoIsCloserToItsPaintingThanThePhotoAndThePhotoIsItsOwnContent()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["photos"]);
        ImageCodec.Write(Path.Combine(dir["photos"], "tubingen.png"), TestImages.Photo(160, 120));
        var stylize = CliRunner.Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", dir["photos"], "-o", dir["waves"]);
        Assert.True(stylize.ExitCode == 0, stylize.Stderr);

        string[] Measure(string styled)
        {
            var r = CliRunner.Run("metrics", "style", "--style", Path.Combine(TestPaths.Shared, "images", "styles", "wave.jpg"),
                "-i", dir["photos"], "-s", styled, "--loss-net", TestPaths.WindowsMl("SqueezeNet_fp16.onnx"), "--style-size", "256");
            Assert.True(r.ExitCode == 0, r.Stderr);
            return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split('\t');
        }

        // The photo against itself: no content loss, and its style loss is by definition its own (factor 1).
        var itself = Measure(dir["photos"]);
        Assert.Equal(0, double.Parse(itself[1], CultureInfo.InvariantCulture));
        Assert.Equal("1.00", itself[4]);

        // ml5's wave network was trained (with VGG) on that painting: SqueezeNet too finds it far closer to it.
        var waved = Measure(dir["waves"]);
        Assert.True(double.Parse(waved[1], CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(waved[4], CultureInfo.InvariantCulture) > 2, $"style factor {waved[4]} for the wave network against the wave painting");
    }

    [Fact]
    public void MismatchedInputsAreOneClearLine()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["photos"]);
        ImageCodec.Write(dir["one.png"], TestImages.Gradient(16, 16));
        CliRunner.AssertCleanFailure(CliRunner.Run("metrics", "style", "--style", dir["one.png"], "-i", dir["photos"], "-s", dir["one.png"]), "both be images or both be folders");
    }
}
