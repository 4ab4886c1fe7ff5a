using System.Diagnostics;

namespace LiveStyle.Tests.Support;

/// <summary>Runs Fixtures/make_pth_fixtures.py with Debian's python3-torch (LIVESTYLE_PYTHON overrides the interpreter).</summary>
public static class PyTorchFixtures
{
    public static string Python => Environment.GetEnvironmentVariable("LIVESTYLE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>pytorch/examples TransformerNet checkpoints (several file forms) and their output for <paramref name="input"/>.</summary>
    public static float[] Make(string folder, float[] input, int height, int width) =>
        Run("make_pth_fixtures.py", folder, input, height.ToString(), width.ToString());

    /// <summary>bench/pytorch_eager.py's network for <paramref name="arch"/> as folder/model.pth, and its output for <paramref name="input"/>.</summary>
    public static float[] MakeBenchNetwork(string folder, string arch, float[] input, int height, int width) =>
        Run("make_bench_net_fixture.py", folder, input, arch, height.ToString(), width.ToString());

    /// <summary>The hostile checkpoints of Fixtures/make_hostile_pth.py, made once per test run and shared by the security tests.</summary>
    public static string HostilePth => HostileFolder.Value;

    private static readonly Lazy<string> HostileFolder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "livestyle-hostile-pth-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "LiveStyle.Tests", "Fixtures", "make_hostile_pth.py");
        using var run = Process.Start(new ProcessStartInfo(Python) { ArgumentList = { script, folder }, RedirectStandardError = true })!;
        var err = run.StandardError.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, $"fixture script failed: {err}");
        return folder;
    });

    private static float[] Run(string scriptName, string folder, float[] input, params string[] args)
    {
        var bytes = new byte[input.Length * 4];
        Buffer.BlockCopy(input, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(Path.Combine(folder, "input.f32"), bytes);
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "LiveStyle.Tests", "Fixtures", scriptName);
        var start = new ProcessStartInfo(Python) { ArgumentList = { script, folder }, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        var run = Process.Start(start)!;
        var stderr = run.StandardError.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, $"fixture script failed (python3-torch installed?): {stderr}");
        var output = File.ReadAllBytes(Path.Combine(folder, "output.f32"));
        var result = new float[output.Length / 4];
        Buffer.BlockCopy(output, 0, result, 0, output.Length);
        return result;
    }
}
