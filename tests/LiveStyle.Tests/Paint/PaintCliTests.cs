using System.Diagnostics;
using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;
using LiveStyle.Train.Loss;

namespace LiveStyle.Tests.Paint;

/// <summary>`paint` end to end with the real SqueezeNet 1.1 (shared mirror), and its bad-input contract.</summary>
public sealed class PaintCliTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static string Painting => Path.Combine(TestPaths.Shared, "images", "styles", "starry_night.jpg");
    private static string Photo => TestPaths.ContentImage("tubingen.jpg");

    /// <summary>
    /// Tübingen in Starry Night's style at 384 pixels with the defaults but 60 iterations (the picture
    /// is recognisably painted by then; the remaining 90 refine it). The log must show the style
    /// loss falling tenfold; then the test measures the picture itself with SqueezeNet: its Gram matrices
    /// (conv1, fire3, fire5) must be at least twice as close to the painting's as the photo's are, while
    /// its content features (fire3) stay closer to the photo's than the painting's are. An identity
    /// (the photo returned) fails the first; a copy of the painting's texture fails the second.
    /// </summary>
    [Fact]
    public void PaintsTubingenAsStarryNight()
    {
        var output = _dir["painted.png"];
        var r = CliRunner.Run("paint", "-c", Photo, "-s", Painting, "-o", output, "-n", "60", "--log", _dir["log.csv"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var style = File.ReadAllLines(_dir["log.csv"]).Skip(1).Select(l => double.Parse(l.Split(',')[7], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(style[^1] * 10 <= style[0], $"style loss fell only from {style[0]:G4} to {style[^1]:G4}");

        var painted = ImageCodec.Read(output);
        Assert.Equal(384, Math.Max(painted.Width, painted.Height));
        var photo = ImageCodec.Read(Photo).Resize(painted.Width, painted.Height);
        var painting = ImageCodec.Read(Painting).Resize(painted.Width, painted.Height);
        using var net = LossNetworks.Open(TestPaths.WindowsMl("SqueezeNet_fp16.onnx"));
        string[] styleLayers = ["conv1", "fire3", "fire5"];
        double GramDistance(Image a, Image b) => Distance(net, a, b, styleLayers, gram: true);
        double ContentDistance(Image a, Image b) => Distance(net, a, b, ["fire3"], gram: false);

        var paintedStyle = GramDistance(painted, painting);
        var photoStyle = GramDistance(photo, painting);
        Assert.True(paintedStyle * 2 <= photoStyle, $"Gram distance to the painting: painted {paintedStyle:G4}, photo {photoStyle:G4}");
        var paintedContent = ContentDistance(painted, photo);
        var paintingContent = ContentDistance(painting, photo);
        Assert.True(paintedContent < paintingContent, $"content distance to the photo: painted {paintedContent:G4}, painting {paintingContent:G4}");
        Assert.True(PixelComparison.MeanAbsoluteDifference(painted.Pixels, photo.Pixels) > 10, "the picture is nearly the photo");
    }

    private static double Distance(ILossNetwork net, Image a, Image b, string[] layers, bool gram)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var fa = net.Features(ImageTensors.ToTensor(a), layers);
        var fb = net.Features(ImageTensors.ToTensor(b), layers);
        double sum = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            var (x, y) = gram ? (StyleLosses.Gram(fa[i]), StyleLosses.Gram(fb[i])) : (fa[i], fb[i]);
            var d = x - y;
            var target = y.Square().Mean().Item();
            sum += d.Square().Mean().Item() / target;
        }
        return sum;
    }

    [Fact]
    public void CtrlCWritesTheImageSoFar()
    {
        var output = _dir["stopped.jpg"];
        // Two scales (64, then 128) and a first scale that never ends: stopped there, the picture still comes at the size asked for.
        using var paint = new Background(false, "paint", "-c", Photo, "-s", Painting, "-o", output, "--size", "128", "--scales", "2", "-n", "100000", "--log", _dir["log.csv"]);
        // The log is written under a temporary name and published with the picture; once it exists, iterations run.
        Poll.Until(() => Poll.Writing(_dir.Path, ".log.csv.*.partial"), TimeSpan.FromMinutes(2), () => paint.HasExited);
        Thread.Sleep(2000);
        Assert.False(paint.HasExited, "paint ended before it was interrupted");
        Process.Start("kill", ["-INT", paint.Id.ToString()])!.WaitForExit();
        var r = paint.Wait(TimeSpan.FromSeconds(60));
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("the image so far is in", r.Stderr);
        Assert.True(File.ReadAllLines(_dir["log.csv"]).Length >= 2, "the log of the iterations done is kept beside the picture");
        var image = ImageCodec.Read(output);
        Assert.Equal(128, image.Width);
    }

    public static TheoryData<string, string[]> BadInputs => new()
    {
        { "not a readable image", ["-c", "{dir}/notanimage.jpg", "-s", "{painting}"] },
        { "no-such.jpg", ["-c", "{photo}", "-s", "{dir}/no-such.jpg"] },
        { "--iterations", ["-c", "{photo}", "-s", "{painting}", "-n", "0"] },
        { "--style-weight", ["-c", "{photo}", "-s", "{painting}", "--style-weight", "-1"] },
        { "--content-weight", ["-c", "{photo}", "-s", "{painting}", "--content-weight", "-5"] },
        { "fire99", ["-c", "{photo}", "-s", "{painting}", "--style-layers", "conv1,fire99"] },
        { "conv1", ["-c", "{photo}", "-s", "{painting}", "--loss-net", "{dir}/wrong-shapes.onnx"] },
        { "--style-blend", ["-c", "{photo}", "-s", "{painting},{painting}", "--style-blend", "1"] },
        { "shorter side must be at least", ["-c", "{photo}", "-s", "{painting}", "--scales", "2"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputFailsCleanlyWithNoOutput(string expected, string[] args)
    {
        File.WriteAllText(_dir["notanimage.jpg"], "this is text, not a JPEG");
        WriteWrongShapeSqueezeNet(_dir["wrong-shapes.onnx"]);
        var output = _dir["out.png"];
        var r = CliRunner.Run(["paint", "-o", output, "--size", "64", .. args.Contains("-n") ? Array.Empty<string>() : ["-n", "2"],
            .. args.Select(a => a.Replace("{dir}", _dir.Path).Replace("{photo}", Photo).Replace("{painting}", Painting))]);
        CliRunner.AssertCleanFailure(r, expected);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.partial"));
    }

    /// <summary>The real SqueezeNet file with conv1's weights given 4 input channels instead of 3.</summary>
    private static void WriteWrongShapeSqueezeNet(string path)
    {
        var model = OnnxWire.Decode(File.ReadAllBytes(TestPaths.WindowsMl("SqueezeNet_fp16.onnx")), "squeezenet");
        var initializers = model.Graph.Initializers.Select(t => t.Name != "conv1_w_0" ? t with { Type = OnnxDataType.Float }
            : t with { Type = OnnxDataType.Float, Dims = [64, 4, 3, 3], Floats = new float[64 * 4 * 9] }).ToList();
        File.WriteAllBytes(path, OnnxWire.Encode(model with { Graph = model.Graph with { Initializers = initializers } }));
    }

    public void Dispose() => _dir.Dispose();
}
