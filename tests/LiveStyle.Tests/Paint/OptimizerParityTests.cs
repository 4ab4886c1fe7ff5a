using System.Diagnostics;
using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Paint;

/// <summary>
/// `paint` against PyTorch (bench/pytorch_paint.py, Debian's python3-torch) on the same problem:
/// a VGG-19 of seeded random weights written by the reference script, the same photo, painting and
/// layers, the same start (the photo), one thread each (the reduction order of a convolution
/// depends on the thread count). Both run Debian's libtorch kernels and the reference computes the
/// Gram matrix as LiveStyle does, so L-BFGS and Adam agree to float32 rounding; every evaluation's
/// loss must agree to 1e-3 relative over 20 iterations (the bound; in practice they are equal).
/// The strong-Wolfe line search interpolates in double here and in float32 tensors there; this
/// problem amplifies that 1e-7 difference about twofold per iteration, so it is held to 1e-4 for its
/// first 8 evaluations and 1e-2 after, with the same number of evaluations.
/// </summary>
public sealed class OptimizerParityTests : IDisposable
{
    private const int Width = 64, Height = 48;
    private readonly TempDir _dir = new();

    public OptimizerParityTests()
    {
        ImageCodec.Write(_dir["content.png"], TestImages.Photo(Width, Height));
        ImageCodec.Write(_dir["style.png"], TestImages.Photo(Width, Height, "golden_gate.jpg"));
    }

    [Theory]
    [InlineData("lbfgs", 1.0)]
    [InlineData("lbfgs-wolfe", 1.0)]
    [InlineData("adam", 10.0)]
    public void LossesMatchTorchIterationByIteration(string optimizer, double lr)
    {
        const string contentLayers = "relu4_2", styleLayers = "relu1_1,relu2_1:0.5,relu3_1,relu4_1,relu5_1";
        var lrText = lr.ToString(CultureInfo.InvariantCulture);
        var vgg = _dir["vgg19-random.pth"];
        var reference = Reference(["--make-vgg19", vgg, "--content", _dir["content.png"], "--style", _dir["style.png"], "--content-layers", contentLayers,
            "--style-layers", styleLayers, "--weights", "5e4,1e6,10", "--optimizer", optimizer, "--lr", lrText, "--iterations", "20", "--threads", "1"]);

        var log = _dir[$"{optimizer}.csv"];
        string[] args = ["paint", "--loss-net", vgg, "-c", _dir["content.png"], "-s", _dir["style.png"], "-o", _dir[$"{optimizer}.png"],
            "--size", Width.ToString(), "--scales", "1", "-n", "20", "--optimizer", optimizer == "adam" ? "adam" : "lbfgs", "--lr", lrText,
            "--history", "100", "--content-layers", contentLayers, "--style-layers", styleLayers, "--content-weight", "5e4", "--style-weight", "1e6",
            "--tv-weight", "10", "--log", log, "--threads", "1", .. optimizer == "lbfgs-wolfe" ? new[] { "--line-search" } : []];
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var ours = File.ReadAllLines(log).Skip(1).Select(l => double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).ToArray();

        Assert.True(reference.Length >= 20, $"the reference made only {reference.Length} evaluations");
        Assert.Equal(reference.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - reference[i]) <= (optimizer != "lbfgs-wolfe" ? 1e-3 : i < 8 ? 1e-4 : 1e-2) * Math.Abs(reference[i]),
                $"evaluation {i + 1}: LiveStyle {ours[i]:R}, PyTorch {reference[i]:R}");
        Assert.True(ours[^1] < 0.7 * ours[0], $"the loss barely fell ({ours[0]:G4} → {ours[^1]:G4}): the optimiser is not optimising");
    }

    private static double[] Reference(string[] args)
    {
        var start = new ProcessStartInfo(PyTorchFixtures.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "bench", "pytorch_paint.py"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var run = Process.Start(start)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, $"pytorch_paint.py failed (python3-torch installed?): {stderr}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
    }

    public void Dispose() => _dir.Dispose();
}
