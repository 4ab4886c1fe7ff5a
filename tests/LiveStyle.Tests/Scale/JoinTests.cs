using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Scale;

/// <summary>
/// Parts made on one machine: a complete part is skipped when run again, and join refuses every bad set of parts
/// (missing, doubled, foreign, truncated, made with other settings) with one line naming it and nothing written.
/// </summary>
public sealed class JoinTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env => new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };

    private void Part(string clip, string folder, int part, params string[] extra)
    {
        var r = CliRunner.Run(Env, ["convert", "-m", PartsFixture.Model(_dir), "-i", clip, "-o", folder, "--part", $"{part}/3", .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    private string Copy(string folder, string name)
    {
        var copy = _dir[name];
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(folder)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    [Fact]
    public void CompletePartsAreSkippedAndBadSetsAreRefused()
    {
        var clip = _dir["clip.mp4"];
        PartsFixture.Clip(clip, 6);
        var parts = _dir["parts"];
        for (var k = 1; k <= 3; k++) Part(clip, parts, k);
        var again = CliRunner.Run(Env, "convert", "-m", PartsFixture.Model(_dir), "-i", clip, "-o", parts, "--part", "2/3");
        Assert.Contains("already complete; skipped", again.Stdout);
        var good = CliRunner.Run(Env, "join", parts, "-o", _dir["good.mp4"]);
        Assert.True(good.ExitCode == 0, good.Stderr);
        Assert.Equal(Ffmpeg.FrameTimes(clip).Length, Ffmpeg.FrameTimes(_dir["good.mp4"]).Length);

        var missing = Copy(parts, "missing");
        File.Delete(Path.Combine(missing, "clip.part-2-of-3.mp4"));
        File.Delete(Path.Combine(missing, "clip.part-2-of-3.mp4.json"));
        Refused(missing, "part 2 of 3 of clip.mp4 is missing");

        var doubled = Copy(parts, "doubled");
        File.Copy(Path.Combine(doubled, "clip.part-2-of-3.mp4.json"), Path.Combine(doubled, "again.part-2-of-3.mp4.json"));
        Refused(doubled, "are both part 2 of 3");

        var other = _dir["other.mp4"];
        PartsFixture.Clip(other, 6, pattern: 1);
        var foreign = Copy(parts, "foreign");
        Part(other, foreign, 2);
        Refused(foreign, "other.part-2-of-3.mp4.json is a part of another video");

        var truncated = Copy(parts, "truncated");
        var video = Path.Combine(truncated, "clip.part-3-of-3.mp4");
        File.WriteAllBytes(video, File.ReadAllBytes(video)[..(int)(new FileInfo(video).Length / 2)]);
        Refused(truncated, "truncated or replaced");

        var settings = Copy(parts, "settings");
        File.Delete(Path.Combine(settings, "clip.part-2-of-3.mp4.json"));
        Part(clip, settings, 2, "--strength", "0.5");
        Refused(settings, "was converted with other settings");
    }

    private void Refused(string folder, string expected)
    {
        var output = _dir[Path.GetFileName(folder) + ".mp4"];
        CliRunner.AssertCleanFailure(CliRunner.Run(Env, "join", folder, "-o", output), expected);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*.partial"));
    }
}
