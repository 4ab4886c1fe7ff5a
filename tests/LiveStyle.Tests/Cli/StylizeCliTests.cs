using LiveStyle.Media.Images;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Cli;

public sealed class StylizeCliTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _env;

    public StylizeCliTests()
    {
        _env = new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };
        ImageCodec.Write(_dir["in.png"], TestImages.Photo(48, 36));
    }

    public void Dispose() => _dir.Dispose();

    private CliRunner.Result Run(params string[] args) => CliRunner.Run(_env, args);

    [Fact]
    public void StylizesAFileWithAStyleNamePulledFromTheMirror()
    {
        var r = Run("stylize", "-m", "wave", "-i", _dir["in.png"], "-o", _dir["out.jpg"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var output = ImageCodec.Read(_dir["out.jpg"]);
        Assert.Equal((48, 36), (output.Width, output.Height));
        Assert.True(Directory.Exists(Path.Combine(_dir["cache"], "wave")));
        // The pulled model is the mirror's wave, byte for byte in effect: it paints exactly what the mirror's files paint.
        var direct = Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["direct.jpg"]);
        Assert.True(direct.ExitCode == 0, direct.Stderr);
        Assert.Equal(ImageCodec.Read(_dir["direct.jpg"]).Pixels, output.Pixels);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.partial"));
    }

    [Fact]
    public void AFolderGivesEachImageExactlyWhatItWouldGetAlone()
    {
        // Images decode, run and encode on three threads at once; each output must still be its own input's stylization.
        Directory.CreateDirectory(_dir["many"]);
        string[] photos = ["tubingen.jpg", "golden_gate.jpg", "tubingen.jpg", "golden_gate.jpg", "tubingen.jpg", "golden_gate.jpg"];
        for (var i = 0; i < photos.Length; i++) ImageCodec.Write(_dir[$"many/{i}.png"], TestImages.Photo(40 + 4 * i, 30 + 2 * i, photos[i]));
        var r = Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["many"], "-o", _dir["many_out"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{photos.Length} of {photos.Length}", r.Stdout);
        using var model = Models.Inference.StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Models.Inference.Precision.Fp32);
        using var alone = new Pipeline.Journeys.StillJourney(model);
        for (var i = 0; i < photos.Length; i++)
            Assert.Equal(alone.Stylize(ImageCodec.Read(_dir[$"many/{i}.png"])).Pixels, ImageCodec.Read(_dir[$"many_out/{i}.png"]).Pixels);
    }

    [Fact]
    public void FolderRunSkipsBadFilesAndReportsThem()
    {
        Directory.CreateDirectory(_dir["in"]);
        ImageCodec.Write(_dir["in/a.png"], TestImages.Gradient(20, 16));
        ImageCodec.Write(_dir["in/b.jpg"], TestImages.Gradient(16, 20));
        File.WriteAllBytes(_dir["in/broken.png"], [1, 2, 3]);
        var r = Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in"], "-o", _dir["out"], "--max-size", "16");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("broken.png", r.Stderr);
        Assert.Contains("2 of 3", r.Stdout);
        Assert.Equal(16, ImageCodec.Read(_dir["out/a.png"]).Width);
        Assert.True(File.Exists(_dir["out/b.jpg"]));
        Assert.False(File.Exists(_dir["out/broken.png"]));
    }

    [Fact]
    public void RefusesToOverwriteWithoutForce()
    {
        File.WriteAllBytes(_dir["exists.png"], [42]);
        CliRunner.AssertCleanFailure(Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["exists.png"]), "--force");
        Assert.Equal(new byte[] { 42 }, File.ReadAllBytes(_dir["exists.png"]));
        Assert.Equal(0, Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["exists.png"], "--force").ExitCode);
    }

    [Fact]
    public void BadImagesFailCleanlyWithoutOutput()
    {
        File.WriteAllBytes(_dir["corrupt.jpg"], Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());
        var png = File.ReadAllBytes(_dir["in.png"]);
        File.WriteAllBytes(_dir["truncated.png"], png[..(png.Length / 3)]);
        File.WriteAllBytes(_dir["clip.mp4"], png);
        foreach (var (input, fragment) in new[]
                 {
                     ("missing.png", "does not exist"), ("corrupt.jpg", "not a readable image"), ("truncated.png", "truncated or corrupt"),
                     ("clip.mp4", "livestyle convert"),
                 })
        {
            CliRunner.AssertCleanFailure(Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir[input], "-o", _dir["o.png"]), fragment);
            Assert.False(File.Exists(_dir["o.png"]));
        }
        CliRunner.AssertCleanFailure(Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["o.tga"]), "unknown image format");
    }

    [Fact]
    public void UnwritableOutputFolderFailsCleanly()
    {
        File.WriteAllText(_dir["plainfile"], "x");
        // A folder below a regular file cannot be created, even by root.
        CliRunner.AssertCleanFailure(Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["plainfile/sub/o.png"]), "does not exist");
        Directory.CreateDirectory(_dir["in"]);
        File.Copy(_dir["in.png"], _dir["in/x.png"]);
        CliRunner.AssertCleanFailure(Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in"], "-o", _dir["plainfile/out"]), "cannot write to output folder");
    }

    [Fact]
    public void BadModelsFailCleanly()
    {
        _dir.CopyOf(TestPaths.Ml5("wave"), "short");
        File.WriteAllBytes(Path.Combine(_dir["short"], "Variable_7"), new byte[10]);
        File.WriteAllBytes(_dir["bad.safetensors"], [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        File.WriteAllBytes(_dir["trunc.pth"], [0x80, 0x02, (byte)'}', (byte)'q']);
        File.WriteAllText(_dir["notes.txt"], "not a model");
        foreach (var (model, fragment) in new[]
                 {
                     (_dir["short"], "Variable_7"), (_dir["bad.safetensors"], "safetensors"), (_dir["trunc.pth"], "PyTorch checkpoint"),
                     ("no_such_style", "not a file, a folder or a known style"), (_dir["notes.txt"], "unknown model format"),
                 })
        {
            CliRunner.AssertCleanFailure(Run("stylize", "-m", model, "-i", _dir["in.png"], "-o", _dir["o.png"]), fragment);
            Assert.False(File.Exists(_dir["o.png"]));
        }
    }

    [Fact]
    public void VerboseShowsTheStackTrace()
    {
        var r = Run("stylize", "-m", "no_such_style", "-i", _dir["in.png"], "-o", _dir["o.png"], "--verbose");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("   at ", r.Stderr);
    }

    [Fact]
    public void Fp16OnCpuAndMissingCudaAreClearErrors()
    {
        CliRunner.AssertCleanFailure(Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["o.png"], "--precision", "fp16"), "bf16");
        var cuda = Run("stylize", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "-o", _dir["o.png"], "--device", "cuda");
        if (Torch.CudaDeviceCount == 0) CliRunner.AssertCleanFailure(cuda, "CUDA");
        else Assert.True(cuda.ExitCode == 0, cuda.Stderr);
    }

    public static TheoryData<string> Commands => new(LiveStyle.Cli.CommandTree.Paths(LiveStyle.Cli.CommandTree.Build()));

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandHasHelp(string command)
    {
        var r = Run([.. command.Split(' '), "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Stdout);
    }
}
