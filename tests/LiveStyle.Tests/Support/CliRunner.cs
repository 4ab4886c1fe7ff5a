using System.Diagnostics;

namespace LiveStyle.Tests.Support;

/// <summary>Runs the real livestyle CLI (the built livestyle.dll) as a separate process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, long PeakKilobytes = -1)
    {
        /// <summary>Stderr without the plain progress lines a slow machine prints every 10 s of long work.</summary>
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith(LiveStyle.Cli.Terminal.ProgressPrefix, StringComparison.Ordinal)).ToArray();
    }

    private const string PeakMarker = "livestyle-test-peak-kb ";

    public static Result Run(IDictionary<string, string>? env, params string[] args)
    {
        // "--xvfb" first runs the command under a private Xvfb server (Debian's xvfb-run), as a desktop would show it;
        // "--peak-memory" under GNU time, which reports the process's peak resident memory when it exits.
        var xvfb = args.Length > 0 && args[0] == "--xvfb";
        if (xvfb) args = args[1..];
        var peak = args.Length > 0 && args[0] == "--peak-memory";
        if (peak) args = args[1..];
        var info = new ProcessStartInfo(xvfb ? "xvfb-run" : peak ? "/usr/bin/time" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (xvfb) foreach (var a in new[] { "-a", "-s", "-screen 0 1280x720x24", "dotnet" }) info.ArgumentList.Add(a);
        if (peak) foreach (var a in new[] { "-f", PeakMarker + "%M", "dotnet" }) info.ArgumentList.Add(a);
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "livestyle.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LIVESTYLE_MODEL_MIRROR"] = "file://" + TestPaths.ModelsMirror;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new Result(-1, stdout.Result, $"livestyle {string.Join(' ', args)} did not finish in 5 minutes\n{stderr.Result}");
        }
        var err = stderr.Result;
        if (!peak) return new Result(p.ExitCode, stdout.Result, err);
        var at = err.LastIndexOf(PeakMarker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"GNU time printed no peak memory:\n{err}");
        var kb = long.Parse(err[(at + PeakMarker.Length)..].Trim());
        // GNU time adds "Command exited with non-zero status N" before its format line.
        var own = string.Join('\n', err[..at].Split('\n').Where(l => !l.StartsWith("Command exited with non-zero status", StringComparison.Ordinal)));
        return new Result(p.ExitCode, stdout.Result, own, kb);
    }

    public static Result Run(params string[] args) => Run(null, args);

    /// <summary>The brief's contract for bad input: non-zero exit, exactly one line on stderr, no stack trace.</summary>
    public static void AssertCleanFailure(Result r, string expectedFragment)
    {
        Assert.NotEqual(0, r.ExitCode);
        Assert.True(r.ErrorLines.Length == 1, $"expected one error line, got:\n{r.Stderr}");
        Assert.Contains(expectedFragment, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
