using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace LiveStyle.Tests.Support;

/// <summary>
/// Debian's headless Chromium driven over its DevTools protocol: open a page, navigate, and run script in it
/// the way the page's own code would (for tests of what a browser is allowed to do).
/// </summary>
public sealed class ChromiumPage : IDisposable
{
    private readonly Process _chromium;
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "livestyle-cdp-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    /// <param name="extra">More switches, e.g. a fake camera (<see cref="FakeCamera"/>).</param>
    public ChromiumPage(string url, params string[] extra)
    {
        var info = new ProcessStartInfo("chromium") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={_profile}", "--remote-debugging-port=0",
                 }.Concat(extra).Append(url))
            info.ArgumentList.Add(a);
        _chromium = Process.Start(info)!;
        _ = _chromium.StandardError.ReadToEndAsync();
        _ = _chromium.StandardOutput.ReadToEndAsync();
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllText(portFile).Split('\n').Length < 2)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("chromium did not open its DevTools port");
            Thread.Sleep(100);
        }
        var port = File.ReadAllText(portFile).Split('\n')[0].Trim();
        using var http = new HttpClient();
        string? socketUrl = null;
        while (socketUrl == null && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var pages = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").Result)!.AsArray();
            socketUrl = pages.FirstOrDefault(p => p!["type"]!.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (socketUrl == null) Thread.Sleep(100);
        }
        _socket.ConnectAsync(new Uri(socketUrl ?? throw new TimeoutException("chromium opened no page")), CancellationToken.None).Wait();
        Navigate(url);
    }

    public void Navigate(string url)
    {
        Send("Page.navigate", new JsonObject { ["url"] = url });
        var clock = Stopwatch.StartNew();
        while (Evaluate("location.href + ' ' + document.readyState")?.GetValue<string>() != url + " complete")
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{url} did not finish loading");
            Thread.Sleep(100);
        }
    }

    /// <summary>Switches that give the page a camera playing <paramref name="y4m"/> in a loop, the permission granted.</summary>
    public static string[] FakeCamera(string y4m) =>
        ["--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={y4m}", "--use-fake-ui-for-media-stream"];

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value.</summary>
    public JsonNode? Evaluate(string expression) =>
        Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true })?["result"]?["value"];

    private JsonNode? Send(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None).Wait();
        var buffer = new byte[1 << 20];
        while (true)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var text = new StringBuilder();
            WebSocketReceiveResult part;
            do
            {
                part = _socket.ReceiveAsync(buffer, timeout.Token).Result;
                text.Append(Encoding.UTF8.GetString(buffer, 0, part.Count));
            } while (!part.EndOfMessage);
            var reply = JsonNode.Parse(text.ToString())!;
            if (reply["id"]?.GetValue<int>() == id) return reply["result"];
        }
    }

    public void Dispose()
    {
        try { _socket.Dispose(); } catch (WebSocketException) { }
        if (!_chromium.HasExited) _chromium.Kill(entireProcessTree: true);
        _chromium.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
