using System.Globalization;
using System.Text.RegularExpressions;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Live;

/// <summary>`livestyle live` as a user runs it: a real window under Xvfb, or headless.</summary>
public sealed partial class LiveCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CliRunner.Result Live(params string[] args) => CliRunner.Run(["live", "-m", TestPaths.Ml5("wave"), .. args]);

    private static CliRunner.Result LiveUnderXvfb(params string[] args) =>
        CliRunner.Run(null, ["--xvfb", "live", "-m", TestPaths.Ml5("wave"), .. args]);

    [Fact]
    public void WindowShowsTheStylizedSourceFrame()
    {
        Ffmpeg.MakeClip(_dir["clip.mp4"], 96, 64, 3, rate: "10", audioStreams: 0);
        var r = LiveUnderXvfb("-i", _dir["clip.mp4"], "--max-frames", "6", "--screenshot", _dir["shot.png"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("cannot open a window", r.Stderr);
        var index = int.Parse(ShotFrame().Match(r.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);

        var shot = ImageCodec.Read(_dir["shot.png"]);
        Assert.Equal((96, 64), (shot.Width, shot.Height)); // the window opens at the processing size: one texel per pixel
        // The source frame as the live source decodes it (OpenCV's own FFmpeg, whose YUV→RGB conversion is not
        // the ffmpeg executable's): what is compared is what the window does with it.
        var bgr = new byte[96 * 64 * 3];
        using (var clip = LiveStyle.Capture.Sources.OpenCvSource.File(_dir["clip.mp4"]))
            for (var i = 0; i <= index; i++) Assert.Equal(LiveStyle.Capture.Sources.ReadResult.Frame, clip.Read(bgr, 96, 64));
        var source = ImageCodec.FromBgr(bgr, 96, 64);
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        using var still = new StillJourney(model);
        var expected = still.Stylize(source);
        // Same decoder and network: what is left is the window's texture sampling and framebuffer read-back.
        var (within2, max) = Within(shot.Pixels, expected.Pixels, 2);
        Assert.True(within2 > 0.98, $"only {within2:P1} of values within 2 levels (max {max})");
        Assert.True(Within(shot.Pixels, source.Pixels, 2).Share < 0.5, "the window should show the stylized frame, not the original");
    }

    [Fact]
    public void AMissingDisplayFallsBackToHeadlessWithANotice()
    {
        var r = CliRunner.Run(new Dictionary<string, string> { ["DISPLAY"] = ":987" }, "live", "-m", TestPaths.Ml5("wave"), "-i", "testpattern", "--size", "32x24", "--max-frames", "3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("cannot open a window", r.Stderr);
        Assert.Contains("shown 3", r.Stderr);
    }

    [Fact]
    public void BadInputsFailCleanly()
    {
        File.WriteAllBytes(_dir["junk.mp4"], Enumerable.Range(0, 4000).Select(i => (byte)(i * 31)).ToArray());
        foreach (var (source, fragment) in new[]
                 {
                     ("webcam-please", "unknown source"), (_dir["missing.mp4"], "does not exist"), (_dir["junk.mp4"], "cannot open"),
                     ("camera:7", "camera 7 (/dev/video7) does not exist"), ("/dev/video9", "does not exist"),
                 })
            CliRunner.AssertCleanFailure(Live("-i", source, "--no-window", "--max-frames", "1"), fragment);
        CliRunner.AssertCleanFailure(CliRunner.Run("live", "-m", _dir["nope.pth"], "-i", "testpattern", "--no-window"), "not a file, a folder or a known style");
    }

    private static (double Share, int Max) Within(byte[] a, byte[] b, int levels)
    {
        var within = 0;
        var max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs(a[i] - b[i]);
            if (d <= levels) within++;
            max = Math.Max(max, d);
        }
        return ((double)within / a.Length, max);
    }

    [GeneratedRegex(@"source frame (\d+)")]
    private static partial Regex ShotFrame();
}
