using System.Diagnostics;
using System.Text.RegularExpressions;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Scale;

/// <summary>
/// deploy/slurm on a real one-node Slurm cluster: a 60 s variable-frame-rate clip with sound converted as 4 array tasks
/// and joined by a job that waits for them, against the same conversion in one process. One part's process is killed
/// mid-way; re-submitting redoes that part alone, and the join then succeeds.
/// </summary>
[Collection(Serial.Name)]
public sealed partial class SlurmTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FourPartsThroughSlurmAreTheOneProcessConversionAndAKilledPartIsRedoneAlone()
    {
        var clip = _dir["clip.mp4"];
        PartsFixture.Clip(clip, 60);
        var model = PartsFixture.Model(_dir);
        var env = new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"] };
        var single = CliRunner.Run(env, "convert", "-m", model, "-i", clip, "-o", _dir["single.mp4"], "--crf", "0");
        Assert.True(single.ExitCode == 0, single.Stderr);

        // The nodes run `livestyle` from their PATH, as deploy/slurm expects.
        Directory.CreateDirectory(_dir["bin"]);
        File.WriteAllText(_dir["bin/livestyle"], $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "livestyle.dll")}' \"$@\"\n");
        File.SetUnixFileMode(_dir["bin/livestyle"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var cluster = new SlurmCluster();
        var output = _dir["joined.mp4"];
        var parts = output + ".parts";
        var (array, join) = Submit(cluster, model, clip, output);

        // Part 2 is killed once its output is being written, as a node failing mid-way would leave it.
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(parts) || !Directory.EnumerateFiles(parts, ".clip.part-2-of-4.mp4.*.partial").Any())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"part 2 never started:\n{cluster.Run("squeue")}");
            Thread.Sleep(100);
        }
        cluster.Run("scancel", "--signal=KILL", "--full", $"{array}_2");
        // The others finish; the join waits for a dependency that can no longer be met.
        clock.Restart();
        while (!cluster.Run("squeue", "-h", "-j", join, "-o", "%r").Contains("DependencyNeverSatisfied"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"the join did not give up on part 2:\n{cluster.Run("squeue")}");
            Thread.Sleep(250);
        }
        cluster.Run("scancel", join);
        Assert.False(File.Exists(Path.Combine(parts, "clip.part-2-of-4.mp4.json")), "the killed part left a record");
        var done = new[] { 1, 3, 4 }.ToDictionary(k => k, k => File.GetLastWriteTimeUtc(Path.Combine(parts, $"clip.part-{k}-of-4.mp4.json")));

        var (_, rejoin) = Submit(cluster, model, clip, output);
        cluster.WaitForIdle(TimeSpan.FromMinutes(5));
        Assert.True(cluster.State(rejoin) == "COMPLETED", $"the join ended {cluster.State(rejoin)}:\n{string.Join("\n", Directory.GetFiles(parts, "*.out").Select(File.ReadAllText))}");
        foreach (var (k, time) in done)
            Assert.Equal(time, File.GetLastWriteTimeUtc(Path.Combine(parts, $"clip.part-{k}-of-4.mp4.json")));
        Assert.Contains(Directory.GetFiles(parts, "livestyle-part-*_2.out").Select(File.ReadAllText), text => text.Contains("part 2 of 4\tframes"));

        Assert.Equal(Ffmpeg.FrameTimes(_dir["single.mp4"]), Ffmpeg.FrameTimes(output));
        Assert.True(Ffmpeg.Pictures(_dir["single.mp4"]).AsSpan().SequenceEqual(Ffmpeg.Pictures(output)), "the joined pictures differ from the single run's (lossless output)");
        var audio = PartsFixture.Audio(clip);
        Assert.True(audio.AsSpan().SequenceEqual(PartsFixture.Audio(output)), "the audio was not copied as it is");
    }

    private (string Array, string Join) Submit(SlurmCluster cluster, string model, string clip, string output)
    {
        var info = new ProcessStartInfo(Path.Combine(TestPaths.RepoRoot, "deploy", "slurm", "submit.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { model, clip, output, "4", "--crf", "0" }) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = cluster.Config;
        info.Environment["PATH"] = _dir["bin"] + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["LIVESTYLE_CACHE"] = _dir["cache"];
        info.Environment["LIVESTYLE_MODEL_MIRROR"] = "file://" + TestPaths.ModelsMirror;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"submit.sh failed: {stderr}");
        var m = Jobs().Match(stdout);
        Assert.True(m.Success, $"submit.sh printed no job ids: {stdout}");
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    [GeneratedRegex(@"parts: job (\d+).*join: job (\d+)")]
    private static partial Regex Jobs();
}
