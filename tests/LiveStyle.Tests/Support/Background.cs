using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveStyle.Tests.Support;

/// <summary>The livestyle CLI running in the background (for tests that talk to it while it runs).</summary>
public sealed class Background : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout, _stderr;

    public Background(bool xvfb, params string[] args) : this(xvfb, null, args)
    {
    }

    public Background(bool xvfb, IDictionary<string, string>? env, params string[] args)
    {
        // A test run started in the background of a script inherits SIGINT ignored, as would the command, and
        // .NET keeps it ignored; `env --default-signal=INT` gives the command a terminal's Ctrl+C, as users have it.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { "--default-signal=INT" } };
        if (xvfb) foreach (var a in new[] { "xvfb-run", "-a", "-s", "-screen 0 1280x720x24" }) info.ArgumentList.Add(a);
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "livestyle.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LIVESTYLE_MODEL_MIRROR"] = "file://" + TestPaths.ModelsMirror;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        _process = Process.Start(info)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public CliRunner.Result Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return new CliRunner.Result(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port free now, outside Linux's ephemeral range (32768–60999), where every outgoing connection of the
    /// tests running in parallel (HTTP clients, Chromium) takes its own port and could take this one before the server
    /// binds it; and never the same port twice in one test run.
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(20000, 32768);
                if (!HandedOut.Add(port)) continue;
                try
                {
                    var l = new TcpListener(IPAddress.Loopback, port);
                    l.Start();
                    l.Stop();
                    return port;
                }
                catch (SocketException) { }
            }
        throw new InvalidOperationException("no free loopback port between 20000 and 32767");
    }

    /// <summary>Polls until the URL answers 200; fails at once, with the command's own words, if the command has ended.</summary>
    public void WaitForHttp(string url, TimeSpan timeout) => Poll(url, timeout, () =>
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"livestyle exited ({_process.ExitCode}) before {url} answered: {_stderr.Result.Trim()}");
    });

    /// <summary>Polls until the URL answers 200 (a server this test does not start as a command).</summary>
    public static void WaitForServer(string url, TimeSpan timeout) => Poll(url, timeout, () => { });

    private static void Poll(string url, TimeSpan timeout, Action checkAlive)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            checkAlive();
            try
            {
                if (http.GetAsync(url).Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"{url} did not answer within {timeout}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
