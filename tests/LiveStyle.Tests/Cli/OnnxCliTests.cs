using System.Diagnostics;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Cli;

/// <summary>ONNX through the CLI: export checked by ONNX's own checker, Johnson's styles by name, the engine choice, and hostile files.</summary>
public sealed class OnnxCliTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _env;

    public OnnxCliTests() => _env = new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("wave")]    // ml5 checkpoint: TensorFlow padding, transposed convolutions
    [InlineData("candy")]   // Johnson's ONNX, imported and exported again
    public void ExportPassesTheOnnxCheckerAndComputesWhatLiveStyleComputes(string style)
    {
        var r = CliRunner.Run(_env, "models", "export", "-m", style, "-o", _dir["m.onnx"]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        var check = Python($"import onnx; m = onnx.load('{_dir["m.onnx"]}'); onnx.checker.check_model(m, full_check=True); " +
                           "meta = {p.key: p.value for p in m.metadata_props}; print(meta['style'], '|', meta['input'], '|', meta.get('license', ''))");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("RGB, 0..255", check.Output);
        if (style == "candy") Assert.Contains("Free for personal or research use", check.Output);

        // The file as it is (no LiveStyle metadata consulted) against LiveStyle's libtorch engine.
        const int w = 97, h = 75;
        float[] input;
        using (var t = ImageTensors.ToTensor(TestImages.Photo(w, h, "golden_gate.jpg"))) input = t.ToArray<float>();
        var exported = new float[input.Length];
        using (var network = OnnxNetwork.Create(File.ReadAllBytes(_dir["m.onnx"]), 2, "exported"))
        using (var binding = network.Bind(w, h))
            binding.Run(input, exported);
        using var model = StyleModel.Load(_dir["m.onnx"], Device.Cpu, Precision.Fp32, Models.Inference.Engine.Torch);
        using var x = Torch.FromArray(input, 1, 3, h, w);
        using var y = model.Stylize(x);
        PixelComparison.AssertMatches(exported, y.ToArray<float>());
    }

    [Fact]
    public void JohnsonStylesPullByNameWithTheirLicence()
    {
        var pull = CliRunner.Run(_env, "models", "pull", "candy");
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Contains("Free for personal or research use", pull.Stdout);
        var info = CliRunner.Run(_env, "models", "info", "candy");
        Assert.Contains("johnson", info.Stdout);
        Assert.Contains("licence: Free for personal or research use", info.Stdout);
        Assert.Contains("licence: MIT", CliRunner.Run(_env, "models", "info", "wave").Stdout);

        // A plain name two collections share keeps its old meaning (ml5's); the other needs its collection.
        var ml5 = CliRunner.Run(_env, "models", "info", "ml5:udnie");
        Assert.Contains("fst", ml5.Stdout);
        Assert.Contains("fst", CliRunner.Run(_env, "models", "info", "udnie").Stdout);
        // The mirror here has no udnie.onnx: the qualified name reaches its own collection and says what is missing.
        CliRunner.AssertCleanFailure(CliRunner.Run(_env, "models", "pull", "johnson:udnie"), "udnie.onnx");
        CliRunner.AssertCleanFailure(CliRunner.Run(_env, "models", "pull", "nosuch:candy"), "unknown style");
    }

    [Fact]
    public void EachEngineStylizesTheSameAndRefusesWhatItCannotRun()
    {
        var image = _dir["in.png"];
        ImageCodec.Write(image, TestImages.Photo(64, 48));
        foreach (var engine in new[] { "onnx", "torch" })
        {
            var r = CliRunner.Run(_env, "stylize", "-m", "wave", "-i", image, "-o", _dir[$"{engine}.png"], "--engine", engine, "--threads", "1");
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        var (a, b) = (ImageCodec.Read(_dir["onnx.png"]), ImageCodec.Read(_dir["torch.png"]));
        PixelComparison.AssertMatches(a.Pixels.Select(p => (float)p).ToArray(), b.Pixels.Select(p => (float)p).ToArray());

        var bf16 = CliRunner.Run(_env, "stylize", "-m", "wave", "-i", image, "-o", _dir["x.png"], "--engine", "onnx", "--precision", "bf16");
        CliRunner.AssertCleanFailure(bf16, "--engine torch");
        CliRunner.AssertCleanFailure(CliRunner.Run(_env, "stylize", "-m", "wave", "-i", image, "-o", _dir["x.png"], "--engine", "tensorrt"), "unknown engine");
        Assert.False(File.Exists(_dir["x.png"]));
    }

    [Fact]
    public void ForeignOnnxModelRunsAsItIsAndAFixedSizeOneIsResized()
    {
        // A fixed 32x32 model that inverts the image: 255 - x.
        var model = Model(Input("x", 1, 3, 32, 32), Output("y", 1, 3, 32, 32),
            new OnnxNode("Sub", ["k255", "x"], ["y"], []), new OnnxTensor("k255", [], OnnxDataType.Float, Floats: [255f]));
        File.WriteAllBytes(_dir["invert.onnx"], model);
        var image = _dir["in.png"];
        ImageCodec.Write(image, TestImages.Gradient(64, 48));
        var r = CliRunner.Run(_env, "stylize", "-m", _dir["invert.onnx"], "-i", image, "-o", _dir["out.png"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("takes 32x32 images only", r.Stderr);
        var (input, output) = (ImageCodec.Read(image), ImageCodec.Read(_dir["out.png"]));
        Assert.Equal((64, 48), (output.Width, output.Height));
        // Resized to 32x32 and back: a smooth gradient survives within a few levels, inverted.
        var error = input.Pixels.Zip(output.Pixels).Average(p => Math.Abs(255 - p.First - p.Second));
        Assert.True(error < 4, $"mean error {error:F1} levels");
        CliRunner.AssertCleanFailure(CliRunner.Run(_env, "stylize", "-m", _dir["invert.onnx"], "-i", image, "-o", _dir["t.png"], "--engine", "torch"), "--engine onnx");
    }

    public static TheoryData<string> HostileModels => ["corrupt", "truncated", "two inputs", "no image input", "fails inside"];

    [Theory]
    [MemberData(nameof(HostileModels))]
    public void HostileOnnxFilesGetOneLineAndNoOutput(string kind)
    {
        var path = _dir["bad.onnx"];
        switch (kind)
        {
            case "corrupt":
                File.WriteAllBytes(path, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 >> 3)).ToArray());
                break;
            case "truncated":
                var candy = File.ReadAllBytes(TestPaths.WindowsMl("candy.onnx"));
                File.WriteAllBytes(path, candy[..(candy.Length / 2)]);
                break;
            case "two inputs":
                File.WriteAllBytes(path, Model([Input("a", 1, 3, -1, -1), Input("b", 1, 3, -1, -1)], [Output("y", 1, 3, -1, -1)], new OnnxNode("Add", ["a", "b"], ["y"], [])));
                break;
            case "no image input":
                File.WriteAllBytes(path, Model(Input("x", 1, 1, 8, 8), Output("y", 1, 1, 8, 8), new OnnxNode("Relu", ["x"], ["y"], [])));
                break;
            case "fails inside":
                // Valid for ONNX Runtime to load, but the reshape to 7 columns fails on any image whose size is not a multiple of 7.
                File.WriteAllBytes(path, Model(Input("x", 1, 3, -1, -1), Output("y", 1, 3, -1, -1),
                    new OnnxNode("Reshape", ["x", "shape"], ["r"], []), new OnnxNode("Reshape", ["r", "back"], ["y"], []),
                    new OnnxTensor("shape", [2], OnnxDataType.Int64, Int64s: [-1, 7]), new OnnxTensor("back", [4], OnnxDataType.Int64, Int64s: [1, 3, 5, -1])));
                break;
        }
        var image = _dir["in.png"];
        ImageCodec.Write(image, TestImages.Gradient(20, 10));
        var r = CliRunner.Run(_env, "stylize", "-m", path, "-i", image, "-o", _dir["out.png"]);
        CliRunner.AssertCleanFailure(r, kind switch
        {
            "two inputs" => "2 inputs",
            "no image input" => "not a float [N, 3, H, W] image",
            "fails inside" => "failed inside ONNX Runtime",
            _ => "bad.onnx",
        });
        Assert.False(File.Exists(_dir["out.png"]));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*"));
    }

    private static OnnxValueInfo Input(string name, params long[] dims) =>
        new(name, (int)OnnxDataType.Float, dims.Select(d => d < 0 ? (long?)null : d).ToArray(), dims.Select((d, i) => d < 0 ? $"d{i}" : null).ToArray());

    private static OnnxValueInfo Output(string name, params long[] dims) => Input(name, dims);

    private static byte[] Model(OnnxValueInfo input, OnnxValueInfo output, params object[] parts) => Model([input], [output], parts);

    private static byte[] Model(OnnxValueInfo[] inputs, OnnxValueInfo[] outputs, params object[] parts) =>
        OnnxWire.Encode(new OnnxModel(new OnnxGraph("test", parts.OfType<OnnxNode>().ToList(), parts.OfType<OnnxTensor>().ToList(), inputs, outputs),
            [("", 17)], new Dictionary<string, string>()));

    private static (int ExitCode, string Output) Python(string code)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(code);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
