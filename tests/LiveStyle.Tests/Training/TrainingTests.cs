using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;
using LiveStyle.Train.Data;
using LiveStyle.Train.Loop;
using LiveStyle.Train.Loss;

namespace LiveStyle.Tests.Training;

[Collection(Serial.Name)]
public sealed class TrainingTests(TrainingFixture f) : IClassFixture<TrainingFixture>
{
    private TrainingRun StyleRun(long steps, TransformNetConfig config, out IObjective objective)
    {
        var vgg = Vgg.Load(f.Vgg);
        using var style = ImageTensors.ToTensor(ImageCodec.Read(f.Style)).DetachFromScope();
        objective = new StyleObjective(vgg, vgg.FeedForward with { TvWeight = 1e-2 }, style);
        // Cosine: the rate depends on the step, so resuming must restore the step the schedule is at.
        var settings = new TrainingSettings(config, "wave", steps, 5e-3, 11, 4, 0, null, Device.Cpu, new Dictionary<string, string>(), LearningRateSchedule.Cosine);
        return new TrainingRun(settings, objective, new TrainingImages(f.Data, 32, 2, 11));
    }

    private static double Mean(IEnumerable<double> v) => v.Average();

    [Fact]
    public void TrainingLowersTheLossAndTheModelStylizes()
    {
        var output = f.Dir["trained.safetensors"];
        var run = StyleRun(40, TransformNetConfig.Mobile, out var objective);
        using (objective) run.Run(output, f.Dir["trained.ckpt.safetensors"], resume: false, _ => { }, CancellationToken.None);
        Assert.True(Mean(run.Losses.TakeLast(5)) < 0.7 * Mean(run.Losses.Take(5)), $"loss {Mean(run.Losses.Take(5)):G3} -> {Mean(run.Losses.TakeLast(5)):G3}");

        var info = ModelInfo.FromMetadata(SafeTensorsFile.Read(output).Metadata, output)!;
        Assert.Equal("train", info.Training["kind"]);
        Assert.Equal("40", info.Training["steps"]);
        var r = CliRunner.Run("stylize", "-m", output, "-i", Path.Combine(f.Data, "p0.png"), "-o", f.Dir["styled.png"]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        // Stylized: judged by the objective it learned, the trained network's picture is nearer the painting's Gram
        // matrices than the same network's picture before training (seed 11, as the run starts).
        var vgg = Vgg.Load(f.Vgg);
        using var style = ImageTensors.ToTensor(ImageCodec.Read(f.Style)).DetachFromScope();
        using var judge = new StyleObjective(vgg, vgg.FeedForward, style);
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var photo = ImageTensors.ToTensor(ImageCodec.Read(Path.Combine(f.Data, "p0.png")));
        double StyleLoss(Tensor image) => judge.Loss(photo, image).Parts.Single(p => p.Name == "style").Value;
        Torch.ManualSeed(11);
        using var untrained = new TransformNet(TransformNetConfig.Mobile);
        var (before, after) = (StyleLoss(untrained.Forward(photo)), StyleLoss(ImageTensors.ToTensor(ImageCodec.Read(f.Dir["styled.png"]))));
        Assert.True(after < 0.7 * before, $"style loss before training {before:G3}, after {after:G3}");
    }

    [Fact]
    public void AnInterruptedAndResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne()
    {
        var straight = StyleRun(8, TransformNetConfig.Slim, out var o1);
        using (o1) straight.Run(f.Dir["a.safetensors"], f.Dir["a.ckpt.safetensors"], false, _ => { }, CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var first = StyleRun(8, TransformNetConfig.Slim, out var o2);
        using (o2)
            Assert.Throws<OperationCanceledException>(() => first.Run(f.Dir["b.safetensors"], f.Dir["b.ckpt.safetensors"], false,
                r => { if (r.Step == 3) stop.Cancel(); }, stop.Token));
        Assert.Equal(3, first.Step);
        Assert.False(File.Exists(f.Dir["b.safetensors"]));
        var resumed = StyleRun(8, TransformNetConfig.Slim, out var o3);
        using (o3) resumed.Run(f.Dir["b.safetensors"], f.Dir["b.ckpt.safetensors"], true, _ => { }, CancellationToken.None);

        var a = SafeTensorsFile.Read(f.Dir["a.safetensors"]).Tensors;
        var b = SafeTensorsFile.Read(f.Dir["b.safetensors"]).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.True(a[key].Data.AsSpan().SequenceEqual(b[key].Data), $"{key} differs after resume");
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
    }

    [Fact]
    public void ARunResumedInANewProcessEndsWithTheSameWeightsAsAnUninterruptedOne()
    {
        // Separate processes, unlike the test above: anything seeded per process (string or HashCode hashing) shows up here.
        string[] Train(string output, int steps, params string[] extra) =>
            ["train", "--style", f.Style, "--data", f.Data, "--vgg", f.Vgg, "--crop", "32", "--batch", "2", "--max-scale", "48",
             "--arch", "slim", "--threads", "1", "--steps", steps.ToString(), "-o", f.Dir[output], .. extra];

        Assert.Equal(0, CliRunner.Run(Train("x-straight.safetensors", 6)).ExitCode);
        Assert.Equal(0, CliRunner.Run(Train("x-half.safetensors", 3)).ExitCode);
        var r = CliRunner.Run(Train("x-resumed.safetensors", 6, "--checkpoint", f.Dir["x-half.ckpt.safetensors"], "--resume"));
        Assert.True(r.ExitCode == 0, r.Stderr);

        var a = SafeTensorsFile.Read(f.Dir["x-straight.safetensors"]).Tensors;
        var b = SafeTensorsFile.Read(f.Dir["x-resumed.safetensors"]).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.True(a[key].Data.AsSpan().SequenceEqual(b[key].Data), $"{key} differs after resume");
    }

    [Theory]
    [InlineData(Precision.Fp32)]
    [InlineData(Precision.Bf16)] // mixed precision: bf16 teacher and student activations, float32 weights
    public void DistillingARandomTeacherIntoMobileLowersThePixelLoss(Precision precision)
    {
        Torch.ManualSeed(3);
        var teacher = RandomNetworks.Model(TransformNetConfig.Full, precision);
        var settings = new TrainingSettings(TransformNetConfig.Mobile, "random", 40, 1e-2, 5, 0, 0, null, Device.Cpu, new Dictionary<string, string>(), Precision: precision);
        var run = new TrainingRun(settings, new DistillObjective(teacher), new TrainingImages(f.Data, 32, 2, 5));
        var output = f.Dir[$"student-{precision}.safetensors"];
        run.Run(output, f.Dir[$"student-{precision}.ckpt.safetensors"], false, _ => { }, CancellationToken.None);
        Assert.True(Mean(run.Losses.TakeLast(5)) < 0.5 * Mean(run.Losses.Take(5)), $"pixel loss {Mean(run.Losses.Take(5)):G3} -> {Mean(run.Losses.TakeLast(5)):G3}");
        using var student = StyleModel.Load(output, Device.Cpu, Precision.Fp32);
        Assert.True(student.Info!.Config.Matches(TransformNetConfig.Mobile));
        Assert.Equal(precision.ToString().ToLowerInvariant(), student.Info!.Training["precision"]);
    }

    [Fact]
    public void TheFeatureMatchingTermIsPartOfTheLossAndFalls()
    {
        Torch.ManualSeed(3);
        var teacher = RandomNetworks.Model(TransformNetConfig.Full);
        var settings = new TrainingSettings(TransformNetConfig.Mobile, "random", 40, 1e-2, 5, 0, 0, null, Device.Cpu, new Dictionary<string, string>());
        var parts = new List<(double Pixel, double Feature)>();
        // The tiny VGG's activations are far smaller than real VGG's; this weight makes the term the larger part of the loss.
        var run = new TrainingRun(settings, new DistillObjective(teacher, Vgg.Load(f.Vgg), 1e6), new TrainingImages(f.Data, 32, 2, 5));
        run.Run(f.Dir["featured.safetensors"], f.Dir["featured.ckpt.safetensors"], false, r => parts.Add((r.Parts[0].Value, r.Parts[1].Value)), CancellationToken.None);
        Assert.All(parts, p => Assert.True(p.Feature > 0));
        Assert.Equal(run.Losses, parts.Select(p => p.Pixel + p.Feature), (a, b) => Math.Abs(a - b) <= 1e-4 * a);
        double First(Func<(double Pixel, double Feature), double> part) => Mean(parts.Take(5).Select(part));
        double Last(Func<(double Pixel, double Feature), double> part) => Mean(parts.TakeLast(5).Select(part));
        Assert.True(Last(p => p.Feature) < 0.7 * First(p => p.Feature), $"feature term {First(p => p.Feature):G3} -> {Last(p => p.Feature):G3}");
        Assert.True(Mean(run.Losses.TakeLast(5)) < 0.7 * Mean(run.Losses.Take(5)), $"total loss {Mean(run.Losses.Take(5)):G3} -> {Mean(run.Losses.TakeLast(5)):G3}");
    }

    [Fact]
    public void DistillFromTheCommandLineRecordsItsRecipeAndStylizePaintsWithTheStudent()
    {
        string[] Distill(params string[] extra) =>
            ["distill", "--teacher", "wave", "--arch", "mobile", "--data", f.Data, "--crop", "32", "--batch", "2", "--steps", "3", .. extra];

        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("--feature-weight", "1", "-o", f.Dir["nofeat.safetensors"])), "--vgg");
        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("--precision", "fp16", "-o", f.Dir["fp16.safetensors"])), "use --precision bf16");
        var r = CliRunner.Run(Distill("--feature-weight", "2", "--vgg", f.Vgg, "-o", f.Dir["student-cli.safetensors"]));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var info = ModelInfo.FromMetadata(SafeTensorsFile.Read(f.Dir["student-cli.safetensors"]).Metadata, "student")!;
        Assert.True(info.Config.Matches(TransformNetConfig.Mobile));
        Assert.Equal(("distill", "wave", "fst", "2", "cosine", "37-480"),
            (info.Training["kind"], info.Training["teacher"], info.Training["teacher_architecture"], info.Training["feature_weight"], info.Training["lr_schedule"], info.Training["scale"]));
        var styled = CliRunner.Run("stylize", "-m", f.Dir["student-cli.safetensors"], "-i", Path.Combine(f.Data, "p1.png"), "-o", f.Dir["student-cli.png"]);
        Assert.True(styled.ExitCode == 0, styled.Stderr);
        // The file holds the trained student: `stylize` paints what the student, loaded here, computes (not the input, not the teacher).
        var photo = ImageCodec.Read(Path.Combine(f.Data, "p1.png"));
        using var student = StyleModel.Load(f.Dir["student-cli.safetensors"], Device.Cpu, Precision.Fp32);
        using var scope = Torch.NewDisposeScope();
        var expected = ImageTensors.ToImage(student.Stylize(ImageTensors.ToTensor(photo)), photo).Pixels;
        var actual = ImageCodec.Read(f.Dir["student-cli.png"]).Pixels;
        Assert.True(actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1), "stylize's output differs from the student's");
        Assert.True(actual.Zip(photo.Pixels).Average(p => Math.Abs(p.First - p.Second)) > 5, "the student returned the photo");
    }

    [Fact]
    public void BadInputsFailCleanlyAndOverwriteNothing()
    {
        string[] Train(params string[] extra) =>
            ["train", "--style", f.Style, "--data", f.Data, "--vgg", f.Vgg, "--crop", "32", "--batch", "2", "--steps", "2", "--arch", "mobile", .. extra];

        File.WriteAllBytes(f.Dir["keep.safetensors"], [1, 2, 3]);
        CliRunner.AssertCleanFailure(CliRunner.Run(Train("-o", f.Dir["keep.safetensors"])), "--force");
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(f.Dir["keep.safetensors"]));

        File.WriteAllText(f.Dir["notimage.png"], "text");
        CliRunner.AssertCleanFailure(CliRunner.Run([.. Train("-o", f.Dir["x.safetensors"]).Select(a => a == f.Style ? f.Dir["notimage.png"] : a)]), "not a readable image");
        Directory.CreateDirectory(f.Dir["empty"]);
        CliRunner.AssertCleanFailure(CliRunner.Run([.. Train("-o", f.Dir["x.safetensors"]).Select(a => a == f.Data ? f.Dir["empty"] : a)]), "holds no images");

        SafeTensorsFile.Write(f.Dir["wrongkeys.safetensors"], new Dictionary<string, HostTensor> { ["conv1.weight"] = new([1], [0]) }, new Dictionary<string, string>());
        CliRunner.AssertCleanFailure(CliRunner.Run([.. Train("-o", f.Dir["x.safetensors"]).Select(a => a == f.Vgg ? f.Dir["wrongkeys.safetensors"] : a)]), "features.0.weight");
        var shapes = SafeTensorsFile.Read(f.Vgg).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        shapes["features.2.weight"] = new HostTensor([4, 5, 3, 3], new float[180]);
        SafeTensorsFile.Write(f.Dir["wrongshape.safetensors"], shapes, new Dictionary<string, string>());
        CliRunner.AssertCleanFailure(CliRunner.Run([.. Train("-o", f.Dir["x.safetensors"]).Select(a => a == f.Vgg ? f.Dir["wrongshape.safetensors"] : a)]), "features.2");

        // A checkpoint of another architecture is refused and left as it was.
        Assert.Equal(0, CliRunner.Run(Train("-o", f.Dir["m.safetensors"])).ExitCode);
        var checkpoint = File.ReadAllBytes(f.Dir["m.ckpt.safetensors"]);
        var r = CliRunner.Run([.. Train("-o", f.Dir["m2.safetensors"], "--checkpoint", f.Dir["m.ckpt.safetensors"], "--resume").Select(a => a == "mobile" ? "slim" : a)]);
        CliRunner.AssertCleanFailure(r, "architecture 'mobile'");
        Assert.Equal(checkpoint, File.ReadAllBytes(f.Dir["m.ckpt.safetensors"]));
        Assert.False(File.Exists(f.Dir["m2.safetensors"]));
        Assert.False(Directory.GetFiles(f.Dir.Path, "*.partial").Any());
    }
}
