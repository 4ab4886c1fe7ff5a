using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Security;

/// <summary>Options, images, downloads and the HTTP controls as a careless user or an attacker would use them (issue 13).</summary>
public sealed class HostileCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--threads must be between", "stylize", "-m", "wave", "-i", "in.jpg", "-o", "out.jpg", "--threads", "99999999")]
    [InlineData("--strength must be between 0 and 1", "convert", "-m", "wave", "-i", "in.mp4", "-o", "out.mp4", "--strength", "NaN")]
    [InlineData("--strength must be between 0 and 1", "live", "-m", "wave", "--strength", "NaN")]
    [InlineData("--duration must be between", "live", "-m", "wave", "--duration", "-5")]
    [InlineData("--max-frames must be at least 1", "live", "-m", "wave", "--max-frames", "0")]
    [InlineData("--max-size must be between", "stylize", "-m", "wave", "-i", "in.jpg", "-o", "out.jpg", "--max-size", "0")]
    [InlineData("--crf must be between 0 and 63", "convert", "-m", "wave", "-i", "in.mp4", "-o", "out.mp4", "--crf", "999")]
    [InlineData("over the limit of 100,000,000", "convert", "-m", "wave", "-i", "in.mp4", "-o", "out.mp4", "--size", "100000x100000")]
    [InlineData("is not a time between 0 and", "convert", "-m", "wave", "-i", "in.mp4", "-o", "out.mp4", "--start", "1e308")]
    public void NumericOptionsAreCheckedBeforeAnythingRuns(string expected, params string[] args)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // File arguments (in.jpg, out.mp4) live in the test's own folder, which must stay empty.
        var r = CliRunner.Run(args.Select(a => Path.HasExtension(a) && !a.StartsWith('-') ? _dir[a] : a).ToArray());
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        Assert.Empty(Directory.GetFiles(_dir.Path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "refused at once");
    }

    [Fact]
    public void AnImageDeclaringGigapixelsIsRefusedFromItsHeader()
    {
        var png = HostileImages.GiantPng(_dir["giant.png"]);
        Assert.True(new FileInfo(png).Length < 100_000);
        var r = CliRunner.Run("--peak-memory", "stylize", "-m", TestPaths.Ml5("wave"), "-i", png, "-o", _dir["out.jpg"]);
        CliRunner.AssertCleanFailure(r, "20000x20000 pixels, over the limit");
        Assert.False(File.Exists(_dir["out.jpg"]));
        Assert.True(r.PeakKilobytes < 1 << 20, $"peak {r.PeakKilobytes / 1024} MB");
        // The limit is the user's to raise: then the decoder is reached (and this PNG's cut-short data fails there).
        var raised = CliRunner.Run(new Dictionary<string, string> { ["LIVESTYLE_MAX_PIXELS"] = "1" }, "stylize", "-m", TestPaths.Ml5("wave"),
            "-i", TestPaths.ContentImage("tubingen.jpg"), "-o", _dir["small.jpg"]);
        CliRunner.AssertCleanFailure(raised, "over the limit of 1 ");
    }

    [Fact]
    public void ScreenshotWithoutAWindowShowsWhatTheSinksGetAtTheChosenStrength()
    {
        var source = TestImages.Gradient(64, 48);
        ImageCodec.Write(_dir["in.png"], source);
        var r = CliRunner.Run("live", "-m", TestPaths.Ml5("wave"), "-i", _dir["in.png"], "--no-window", "--strength", "0",
            "--max-frames", "3", "--screenshot", _dir["shot.png"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(source.Pixels, ImageCodec.Read(_dir["shot.png"]).Pixels);
    }

    [Fact]
    public void ADeadStreamUrlIsNotCalledACamera()
    {
        var r = CliRunner.Run("live", "-m", TestPaths.Ml5("wave"), "-i", $"http://127.0.0.1:{Background.FreePort()}/stream.mjpg", "--no-window", "--max-frames", "1");
        CliRunner.AssertCleanFailure(r, "the stream did not answer");
        Assert.DoesNotContain("camera", r.Stderr);
    }

    [Fact]
    public void PullsOfTheSameStyleAtOnceAllSucceed()
    {
        var env = new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"] };
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(() => CliRunner.Run(env, "models", "pull", "wave"))).ToArray();
        foreach (var r in runs.Select(t => t.Result)) Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(Directory.GetFiles(TestPaths.Ml5("wave")).Length, Directory.GetFiles(Path.Combine(_dir["cache"], "wave")).Length);
        Assert.Empty(Directory.GetDirectories(_dir["cache"], ".*"));
    }

    [Fact]
    public void AMirrorThatNeverStopsSendingIsCutOffAtThePinnedSize()
    {
        // 4 GiB in 1 MiB chunks, without a length: the client must hang up at the pinned size.
        using var server = new LoopbackServer(async ctx =>
        {
            ctx.Response.SendChunked = true;
            var chunk = new byte[1 << 20];
            for (var i = 0; i < 4096; i++) await ctx.Response.OutputStream.WriteAsync(chunk);
        });
        var env = new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"], ["LIVESTYLE_MODEL_MIRROR"] = server.BaseUrl };
        var r = CliRunner.Run(env, "--peak-memory", "models", "pull", "wave");
        CliRunner.AssertCleanFailure(r, "longer than its pinned size");
        Assert.True(r.PeakKilobytes < 1 << 20, $"peak {r.PeakKilobytes / 1024} MB");
        Assert.False(Directory.Exists(Path.Combine(_dir["cache"], "wave")));
    }
}
