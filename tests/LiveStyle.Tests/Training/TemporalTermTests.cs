using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;
using LiveStyle.Tests.Support;
using LiveStyle.Train.Data;
using LiveStyle.Train.Loop;
using LiveStyle.Train.Loss;
using static LiveStyle.Tests.Support.SyntheticFrames;

namespace LiveStyle.Tests.Training;

/// <summary>The temporal term of distill/train: frame pairs from real (lossless) clips, the loss on outputs whose answer is known, and the CLI.</summary>
[Collection(Serial.Name)]
public sealed class TemporalTermTests(TrainingFixture f) : IClassFixture<TrainingFixture>
{
    private const int Side = 80, Crop = 64, MinScale = 74, Margin = 16;

    /// <summary>Frames as an FFV1 (lossless RGB) clip, the way users hand videos over.</summary>
    private static string Clip(TempDir dir, string name, IEnumerable<Image> frames)
    {
        var pattern = WriteSequence(dir[name + "-png"], frames);
        Ffmpeg.Run("ffmpeg", "-v", "error", "-framerate", "10", "-i", pattern, "-c:v", "ffv1", "-pix_fmt", "bgr0", dir[name + ".mkv"]);
        return dir[name + ".mkv"];
    }

    /// <summary>A textured scene seen through a window that pans by (3, 2) px per frame (up to six frames) while the light rises by <paramref name="brighter"/> levels per frame.</summary>
    private static string PanningClip(TempDir dir, int frames, int brighter)
    {
        var world = Map(Texture(Side + 2 * Margin, Side + 2 * Margin, 3, 2.5), (_, _, _, v) => (byte)(v * 200 / 255));
        return Clip(dir, "pan", Enumerable.Range(0, frames).Select(t =>
            Map(Window(world, Margin - 3 * t, Margin - 2 * t, Side, Side), (_, _, _, v) => (byte)(v + t * brighter))));
    }

    private static FramePairs Pairs(string clip) => new(clip, Crop, 2, 7, MinScale, Side, CancellationToken.None);

    private static Tensor FramesOf(PairBatch batch) => Torch.FromArray(batch.Frames, 2L * batch.Count, 3, batch.Crop, batch.Crop);

    [Fact]
    public void OnAStillClipAnyNetworkIsPerfectlyStable()
    {
        using var dir = new TempDir();
        var pairs = Pairs(Clip(dir, "still", Enumerable.Repeat(Texture(Side, Side, 1, 2.5), 4)));
        Assert.Equal((1, 3), (pairs.Clips, pairs.Pairs));
        var batch = pairs.BatchAt(0);
        Assert.True(batch.Visible.Average() > 0.95, $"only {batch.Visible.Average():P0} visible in a still clip");

        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        Torch.ManualSeed(1);
        using var net = new TransformNet(TransformNetConfig.Mobile);
        var frames = FramesOf(batch);
        var loss = TemporalConsistency.Loss(frames, net.Forward(frames), batch).Item();
        // Farnebäck finds flows of thousandths of a pixel between identical frames, which move a texture of ~50 levels per
        // pixel by hundredths of a level: 0.01 (0..255 units, squared) is an RMS of 0.1 level.
        Assert.True(loss < 1e-2, $"temporal loss {loss} on identical frames");
    }

    [Fact]
    public void OutputThatFollowsTheMotionAndTheLightScoresZeroAndTextureFixedToTheScreenScoresItsVariance()
    {
        const int brighter = 12;
        using var dir = new TempDir();
        var batch = Pairs(PanningClip(dir, 2, brighter)).BatchAt(0);
        var visible = batch.Visible.Sum();
        Assert.True(visible > 0.8 * batch.Visible.Length, $"{visible} of {batch.Visible.Length} pixels visible");

        using var scope = Torch.NewDisposeScope();
        var frames = FramesOf(batch);
        // The identity moves and brightens exactly as the input does: the term must forgive both.
        var follows = TemporalConsistency.Loss(frames, frames, batch).Item();

        // Noise painted on the screen, not on the scene: the same in both frames. Warped back along the flow, each pixel is
        // compared with a bilinear blend of four other noise values: variance σ²(1 + Σw²) for uniform noise (σ² = 255²/12),
        // plus the input's own change of brightness, which the term subtracts from the output's, squared.
        var random = new Random(5);
        var plane = 3 * Crop * Crop;
        var screen = new float[batch.Frames.Length];
        for (var i = 0; i < batch.Count * plane; i++) screen[i] = screen[batch.Count * plane + i] = random.NextSingle() * 255;
        var fixedTexture = TemporalConsistency.Loss(frames, Torch.FromArray(screen, 2L * batch.Count, 3, Crop, Crop), batch).Item();
        var positions = batch.Visible.Length;
        double expected = 0;
        for (var i = 0; i < positions; i++)
        {
            if (batch.Visible[i] == 0) continue;
            double blend = 0;
            for (var k = 0; k < PairBatch.Corners; k++) blend += batch.TapWeights[k * positions + i] * batch.TapWeights[k * positions + i];
            expected += 255.0 * 255.0 / 12 * (1 + blend) + brighter * brighter;
        }
        expected /= positions;

        // About 20,000 squared differences: their mean is within a few percent of its expectation.
        Assert.InRange(fixedTexture, 0.92 * expected, 1.08 * expected);
        // What is left for the identity is interpolation and flow error on a smooth texture: without the light
        // compensation it would be at least 12² = 144.
        Assert.True(follows < 20, $"temporal loss {follows:F1} for an output that follows the scene (fixed texture: {fixedTexture:F0})");
    }

    private sealed class NoOtherLoss : IObjective
    {
        public string Kind => "test";
        public (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output) => (output.Sum() * 0.0, []);
        public void Dispose() { }
    }

    [Fact]
    public void LearningFromTheTermAloneMakesANetworkStable()
    {
        using var dir = new TempDir();
        var pairs = Pairs(PanningClip(dir, 6, 0));
        Torch.ManualSeed(2);
        using var net = new TransformNet(TransformNetConfig.Mobile);
        net.SetRequiresGrad(true);
        using var adam = new Adam(net.Parameters(), 1e-2);
        var losses = new List<double>();
        for (var step = 0; step < 30; step++)
        {
            using var scope = Torch.NewDisposeScope();
            var batch = pairs.BatchAt(step);
            var parts = TrainingStep.Run(net, adam, new NoOtherLoss(), Torch.Zeros([1, 3, Crop, Crop]), Precision.Fp32, batch, 1).Parts;
            losses.Add(Assert.Single(parts, p => p.Name == "temporal").Value);
        }
        // Gradients reach the network through the warp: the term falls steeply from a random network's shimmer.
        Assert.True(losses.TakeLast(5).Average() < 0.5 * losses.Take(5).Average(), $"temporal term {losses.Take(5).Average():G3} -> {losses.TakeLast(5).Average():G3}");
    }

    [Fact]
    public void DistillRecordsTheTermAndRefusesClipsItCannotUse()
    {
        using var dir = new TempDir();
        string[] Distill(string output, params string[] extra) =>
            ["distill", "--teacher", "wave", "--data", f.Data, "--crop", "32", "--batch", "2", "--steps", "2", "-o", dir[output], .. extra];

        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("a.safetensors", "--temporal-weight", "2")), "--temporal-data");
        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("a.safetensors", "--temporal-data", dir["missing.mp4"])), "does not exist");
        Directory.CreateDirectory(dir["novideos"]);
        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("a.safetensors", "--temporal-data", dir["novideos"])), "holds no videos");
        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("a.safetensors", "--temporal-data", Clip(dir, "one", [Texture(48, 40, 1, 2)]))), "two frames");
        File.WriteAllBytes(dir["corrupt.mp4"], [0, 0, 0, 24, 1, 2, 3]);
        CliRunner.AssertCleanFailure(CliRunner.Run(Distill("a.safetensors", "--temporal-data", dir["corrupt.mp4"])), "corrupt.mp4");
        Assert.False(File.Exists(dir["a.safetensors"]));

        var r = CliRunner.Run(Distill("t.safetensors", "--temporal-data", PanningClip(dir, 3, 0), "--temporal-weight", "0.5"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var training = ModelInfo.FromMetadata(SafeTensorsFile.Read(dir["t.safetensors"]).Metadata, "student")!.Training;
        Assert.Equal(("0.5", "1", "1"), (training["temporal_weight"], training["temporal_pairs"], training["temporal_clips"]));
    }
}
