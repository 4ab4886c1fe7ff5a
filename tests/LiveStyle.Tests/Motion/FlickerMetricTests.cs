using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;
using static LiveStyle.Tests.Support.SyntheticFrames;

namespace LiveStyle.Tests.Motion;

/// <summary>`metrics flicker` on clips whose warping error is known in advance.</summary>
public sealed class FlickerMetricTests
{
    private const int W = 128, H = 96;

    private static (double Mean, string[] Csv) Measure(TempDir dir, string input, string styled)
    {
        var r = CliRunner.Run("metrics", "flicker", "-i", input, "-s", styled, "--csv", dir["pairs.csv"], "--force");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var mean = double.Parse(r.Stdout.Split('\t')[0].Split(' ')[^1], CultureInfo.InvariantCulture);
        return (mean, File.ReadAllLines(dir["pairs.csv"]));
    }

    [Fact]
    public void AStaticSceneDoesNotFlicker()
    {
        using var dir = new TempDir();
        var scene = Texture(W, H, 1, 3);
        var painted = Texture(W, H, 2, 2);
        var input = WriteSequence(dir["in"], Enumerable.Repeat(scene, 5));
        var styled = WriteSequence(dir["styled"], Enumerable.Repeat(painted, 5));
        var (mean, csv) = Measure(dir, input, styled);
        Assert.True(mean < 1e-6, $"warping error {mean} for identical frames");
        Assert.Equal(5, csv.Length); // header and four pairs
    }

    [Fact]
    public void AKnownShiftGivesTheErrorComputedByHand()
    {
        // The input pans: frame 2's content is frame 1's moved by (dx, dy). The stylized frame 2 is the stylized frame 1
        // moved the same way, plus 40 levels in a square. Warped back along the flow, frame 2 differs from frame 1 by
        // exactly 40 levels inside the square (in frame 1's coordinates) and nowhere else, so over the visible pixels
        // (those whose motion stays inside the frame) the error is (40/255)² · square ∩ visible / visible.
        const int dx = 3, dy = 2, margin = 8, bump = 40;
        using var dir = new TempDir();
        var world = Texture(W + 2 * margin, H + 2 * margin, 3, 2.5);
        // Below 255 - bump everywhere, so the bump is exact.
        var paintedWorld = Map(Texture(W + 2 * margin, H + 2 * margin, 4, 4), (_, _, _, v) => (byte)(v * 200 / 255));
        Image Frame(Image source, int t) => Window(source, margin - t * dx, margin - t * dy, W, H);
        var (sx, sy, side) = (50, 30, 24); // square in frame 2's coordinates
        var second = Map(Frame(paintedWorld, 1), (x, y, _, v) => x >= sx && x < sx + side && y >= sy && y < sy + side ? (byte)Math.Min(255, v + bump) : v);
        var input = WriteSequence(dir["in"], [Frame(world, 0), Frame(world, 1)]);
        var styled = WriteSequence(dir["styled"], [Frame(paintedWorld, 0), second]);

        var visible = (W - dx) * (H - dy);
        var expected = (double)bump * bump * side * side / (255.0 * 255.0 * visible);
        var (mean, _) = Measure(dir, input, styled);
        // Farnebäck's flow is not exact near the frame's edges and the square's corners; 15% covers that.
        Assert.InRange(mean, expected * 0.85, expected * 1.15);
    }

    [Fact]
    public void NoiseAddedToEachFrameRaisesTheErrorByTwiceItsVariance()
    {
        // Independent uniform noise in ±a on every frame adds E[(n1 − n2)²] = 2 · a²/3 to each pixel's squared difference.
        const int a = 12, frames = 6;
        using var dir = new TempDir();
        // Inside 20..235, so no noisy value clips.
        var world = Map(Texture(W + 20, H + 20, 5, 2.5), (_, _, _, v) => (byte)(20 + v * 215 / 255));
        var scenes = Enumerable.Range(0, frames).Select(t => Window(world, 10 - t, 10, W, H)).ToList();
        var input = WriteSequence(dir["in"], scenes);
        var clean = WriteSequence(dir["clean"], scenes);
        var random = new Random(7);
        var noisy = WriteSequence(dir["noisy"], scenes.Select(s => Map(s, (_, _, _, v) => (byte)Math.Clamp(v + random.Next(-a, a + 1), 0, 255))));
        var (cleanError, _) = Measure(dir, input, clean);
        var (noisyError, _) = Measure(dir, input, noisy);
        var added = 2.0 * (a * (a + 1) / 3.0) / (255.0 * 255.0); // the discrete uniform on -a..a has variance a(a+1)/3
        Assert.True(cleanError < 0.1 * added, $"clean {cleanError}");
        Assert.InRange(noisyError - cleanError, added * 0.8, added * 1.2);
    }

    [Fact]
    public void VideosOfDifferentLengthAreRefused()
    {
        using var dir = new TempDir();
        var scene = Texture(W, H, 1, 3);
        var input = WriteSequence(dir["in"], Enumerable.Repeat(scene, 4));
        var styled = WriteSequence(dir["styled"], Enumerable.Repeat(scene, 3));
        CliRunner.AssertCleanFailure(CliRunner.Run("metrics", "flicker", "-i", input, "-s", styled), "differ in length");
    }
}
