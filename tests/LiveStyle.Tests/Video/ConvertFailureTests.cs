using System.Diagnostics;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Video;

/// <summary>Bad input and interruptions: one clear line, non-zero exit, nothing under the final name.</summary>
public sealed class ConvertFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ConvertFailureTests() => Ffmpeg.MakeClip(_dir["good.mp4"], 64, 48, 1, rate: "10");

    public void Dispose() => _dir.Dispose();

    private static CliRunner.Result Convert(params string[] args) => CliRunner.Run(["convert", "-m", TestPaths.Ml5("wave"), .. args]);

    private void AssertNothingWritten(string output)
    {
        Assert.False(File.Exists(output), $"{output} should not exist");
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path, ".*partial*", SearchOption.AllDirectories));
    }

    [Fact]
    public void UnreadableInputs()
    {
        File.WriteAllBytes(_dir["noise.mp4"], Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        File.WriteAllBytes(_dir["empty.mp4"], []);
        var good = File.ReadAllBytes(_dir["good.mp4"]);
        File.WriteAllBytes(_dir["truncated.mp4"], good[..(good.Length / 2)]);
        Ffmpeg.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", _dir["audio.m4a"]);
        foreach (var (input, fragment) in new[]
                 {
                     ("noise.mp4", "not a readable video"), ("empty.mp4", "is empty"), ("truncated.mp4", "truncated.mp4"),
                     ("audio.m4a", "no video stream"), ("missing.mp4", "does not exist"),
                 })
        {
            CliRunner.AssertCleanFailure(Convert("-i", _dir[input], "-o", _dir["out.mp4"]), fragment);
            AssertNothingWritten(_dir["out.mp4"]);
        }
    }

    [Fact]
    public void TruncatedStreamableFileFailsWithoutOutput()
    {
        // moov first, so the file opens but its media data stops half-way.
        Ffmpeg.MakeClip(_dir["fast.mp4"], 64, 48, 2, rate: "10", 1, "-movflags", "+faststart");
        var bytes = File.ReadAllBytes(_dir["fast.mp4"]);
        File.WriteAllBytes(_dir["cut.mp4"], bytes[..(bytes.Length * 2 / 3)]);
        var r = Convert("-i", _dir["cut.mp4"], "-o", _dir["out.mkv"]);
        CliRunner.AssertCleanFailure(r, "cut.mp4");
        AssertNothingWritten(_dir["out.mkv"]);
    }

    [Fact]
    public void BadOutputs()
    {
        File.WriteAllText(_dir["file"], "x");
        CliRunner.AssertCleanFailure(Convert("-i", _dir["good.mp4"], "-o", _dir["file/out.mp4"]), "does not exist");
        CliRunner.AssertCleanFailure(Convert("-i", _dir["good.mp4"], "-o", _dir["out.xyz"]), "unknown output format");
        CliRunner.AssertCleanFailure(Convert("-i", _dir["good.mp4"], "-o", _dir["out.webm"], "--codec", "h264"), "webm cannot hold");
        File.WriteAllBytes(_dir["exists.mp4"], [1]);
        CliRunner.AssertCleanFailure(Convert("-i", _dir["good.mp4"], "-o", _dir["exists.mp4"]), "--force");
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(_dir["exists.mp4"]));
    }

    [Fact]
    public void DiskFullLeavesNothing()
    {
        Ffmpeg.MakeClip(_dir["big.mp4"], 160, 120, 2, rate: "10", audioStreams: 0);
        var small = _dir["small"];
        Directory.CreateDirectory(small);
        // A 64 kB tmpfs fills up part-way through the file; where mounting is not allowed, a file-size limit stands in.
        var mounted = Process.Start("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small])!.WaitForExit(10_000)
                      && Directory.GetParent(small) != null && IsMountPoint(small);
        try
        {
            var args = new[] { "convert", "-m", TestPaths.Ml5("wave"), "-i", _dir["big.mp4"], "-o", Path.Combine(small, "big.mkv"), "--codec", "prores" };
            var result = mounted ? CliRunner.Run(args) : RunLimited(64, args);
            CliRunner.AssertCleanFailure(result, "big.mkv");
            if (mounted) Assert.Contains("No space left", result.Stderr);
            Assert.Empty(Directory.GetFileSystemEntries(small));
        }
        finally
        {
            if (mounted) Process.Start("umount", [small])!.WaitForExit();
        }
    }

    private static bool IsMountPoint(string path) =>
        File.ReadAllLines("/proc/self/mounts").Any(l => l.Split(' ')[1] == Path.GetFullPath(path).TrimEnd('/'));

    [Fact]
    public void InterruptLeavesNoOutput()
    {
        // Long enough (1,200 frames) that no engine finishes it before the signal lands.
        Ffmpeg.MakeClip(_dir["long.mp4"], 160, 120, 120, rate: "10", audioStreams: 0);
        using var p = new Background(false, "convert", "-m", TestPaths.Ml5("wave"), "-i", _dir["long.mp4"], "-o", _dir["long_out.mp4"]);
        // Frames flow once the encoder writes the output's temporary file.
        Assert.True(Poll.Until(() => Poll.Writing(_dir.Path, ".long_out.mp4.*.partial"), TimeSpan.FromMinutes(2), () => p.HasExited), "conversion never started writing");
        Assert.False(p.HasExited, "conversion finished before it could be interrupted");
        Process.Start("kill", ["-INT", p.Id.ToString()])!.WaitForExit();
        var r = p.Wait(TimeSpan.FromSeconds(30));
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("interrupted", r.Stderr);
        AssertNothingWritten(_dir["long_out.mp4"]);
    }

    private static CliRunner.Result RunLimited(int kilobytes, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "livestyle.dll");
        var command = $"ulimit -f {kilobytes}; exec dotnet {Quote(dll)} {string.Join(' ', args.Select(Quote))}";
        var info = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliRunner.Result(p.ExitCode, stdout.Result, stderr);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
