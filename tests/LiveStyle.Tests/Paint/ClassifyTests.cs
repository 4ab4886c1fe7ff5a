using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Paint;

/// <summary>`models classify` with SqueezeNet 1.1 from the pinned mirror: proof that its weights and Caffe preprocessing are right.</summary>
public sealed class ClassifyTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData("golden_gate.jpg", new[] { "suspension bridge", "pier" })]
    [InlineData("tubingen.jpg", new[] { "palace", "castle" })]
    public void SqueezeNetKnowsTheLandmarks(string image, string[] anyOf)
    {
        var r = CliRunner.Run(new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"] }, "models", "classify", "-n", "squeezenet", "-i", TestPaths.ContentImage(image));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var top5 = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(5, top5.Count);
        Assert.True(top5.Any(line => anyOf.Any(label => line.Contains(label, StringComparison.Ordinal))), $"top 5 for {image}:\n{r.Stdout}");
        var probabilities = top5.Select(l => double.Parse(l.Trim().Split('%')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(probabilities.SequenceEqual(probabilities.OrderDescending()), "not sorted by probability");
        Assert.True(probabilities[0] > 20, $"the top class has only {probabilities[0]} %");
    }

    [Fact]
    public void AMirrorFileThatDoesNotMatchItsPinIsRefused()
    {
        var mirror = Path.Combine(_dir.Path, "mirror", "windows-ml");
        Directory.CreateDirectory(mirror);
        File.Copy(TestPaths.WindowsMl("Labels.json"), Path.Combine(mirror, "Labels.json"));
        var bytes = File.ReadAllBytes(TestPaths.WindowsMl("SqueezeNet_fp16.onnx"));
        bytes[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(mirror, "SqueezeNet_fp16.onnx"), bytes);
        var r = CliRunner.Run(new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"], ["LIVESTYLE_MODEL_MIRROR"] = "file://" + Path.GetDirectoryName(mirror) },
            "models", "classify", "-i", TestPaths.ContentImage("tubingen.jpg"));
        CliRunner.AssertCleanFailure(r, "pinned SHA-256");
        Assert.False(Directory.Exists(Path.Combine(_dir["cache"], "loss-networks", "squeezenet")));
    }

    public void Dispose() => _dir.Dispose();
}
