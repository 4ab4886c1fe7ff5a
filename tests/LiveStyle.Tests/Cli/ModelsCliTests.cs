using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Cli;

public sealed class ModelsCliTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _env;

    public ModelsCliTests() => _env = new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ImportWritesSafetensorsThatStylizeIdentically()
    {
        var r = CliRunner.Run(_env, "models", "import", TestPaths.Ml5("udnie"), "-o", _dir["udnie.safetensors"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var info = CliRunner.Run(_env, "models", "info", _dir["udnie.safetensors"]);
        Assert.Contains("fst", info.Stdout);
        Assert.Contains("udnie", info.Stdout);

        using var a = StyleModel.Load(TestPaths.Ml5("udnie"), Device.Cpu, Precision.Fp32);
        using var b = StyleModel.Load(_dir["udnie.safetensors"], Device.Cpu, Precision.Fp32);
        using var scope = Torch.NewDisposeScope();
        var x = Torch.Rand([1, 3, 20, 24]) * 255.0;
        Assert.Equal(a.Stylize(x).ToArray<float>(), b.Stylize(x).ToArray<float>());

        // The same importer read both sides above; the numbers themselves are checked against the checkpoint's raw
        // float32 files. TensorFlow keeps conv2d filters as [h, w, in, out] and conv2d_transpose filters as
        // [h, w, out, in]; PyTorch keeps Conv2d as [out, in, h, w] and ConvTranspose2d as [in, out, h, w]: in both
        // cases PyTorch's [a, b, y, x] is TensorFlow's [y, x, b, a].
        var imported = SafeTensorsFile.Read(_dir["udnie.safetensors"]).Tensors;
        foreach (var (key, variable) in new[] { ("conv1.conv2d.weight", "Variable"), ("deconv1.conv2d.weight", "Variable_39") })
        {
            var raw = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(TestPaths.Ml5("udnie"), variable)));
            var t = imported[key];
            long[] d = t.Shape;
            Assert.Equal(d[0] * d[1] * d[2] * d[3], raw.Length);
            for (var i = 0; i < t.Data.Length; i++)
            {
                long col = i % d[3], row = i / d[3] % d[2], second = i / (d[3] * d[2]) % d[1], first = i / (d[3] * d[2] * d[1]);
                Assert.Equal(raw[(int)(((row * d[3] + col) * d[1] + second) * d[0] + first)], t.Data[i]);
            }
        }

        // An existing model is never replaced without --force.
        var before = File.ReadAllBytes(_dir["udnie.safetensors"]);
        CliRunner.AssertCleanFailure(CliRunner.Run(_env, "models", "import", TestPaths.Ml5("wave"), "-o", _dir["udnie.safetensors"]), "--force");
        Assert.Equal(before, File.ReadAllBytes(_dir["udnie.safetensors"]));
    }

    [Fact]
    public void ListShowsCachedAndPullable()
    {
        Assert.Equal(0, CliRunner.Run(_env, "models", "pull", "matta").ExitCode);
        var r = CliRunner.Run(_env, "models", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"matta\s*│\s*ml5\s*│\s*cached", r.Stdout);
        Assert.Matches(@"scream\s*│\s*ml5\s*│\s*pullable", r.Stdout);
        Assert.Matches(@"candy\s*│\s*johnson\s*│\s*pullable", r.Stdout);
        Assert.Matches(@"johnson:udnie\s*│\s*johnson", r.Stdout);
    }

    [Fact]
    public void InfoWithoutArgumentsListsEveryArchitecture()
    {
        var r = CliRunner.Run(_env, "models", "info");
        Assert.Equal(0, r.ExitCode);
        foreach (var arch in new[] { "fst", "full", "slim", "mobile" }) Assert.Contains(arch, r.Stdout);
        Assert.Contains("1,679,235", r.Stdout); // pytorch/examples TransformerNet's parameter count
    }

    [Fact]
    public void CompareMeasuresPsnrBetweenModels()
    {
        Directory.CreateDirectory(_dir["imgs"]);
        LiveStyle.Media.Images.ImageCodec.Write(_dir["imgs/a.png"], TestImages.Photo(40, 30));
        var same = CliRunner.Run(_env, "models", "compare", "--reference", TestPaths.Ml5("wave"), "-m", TestPaths.Ml5("wave"), "-i", _dir["imgs"]);
        Assert.True(same.ExitCode == 0, same.Stderr);
        Assert.Contains("mean PSNR 100.00 dB", same.Stdout); // identical outputs: the PSNR cap
        var other = CliRunner.Run(_env, "models", "compare", "--reference", TestPaths.Ml5("wave"), "-m", TestPaths.Ml5("udnie"), "-i", _dir["imgs"]);
        var psnr = double.Parse(System.Text.RegularExpressions.Regex.Match(other.Stdout, @"mean PSNR ([\d.]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(psnr, 5, 20); // two different styles are far apart
    }

    [Fact]
    public void PullOfAnUnknownStyleFails() =>
        CliRunner.AssertCleanFailure(CliRunner.Run(_env, "models", "pull", "mona_lisa"), "unknown style");
}
