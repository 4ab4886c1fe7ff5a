using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Security;

/// <summary>
/// The browser source's controls (POST /strength, /style) against a page on another site that the user happens
/// to visit: a "simple" cross-origin POST reaches the server without a preflight, so the server must refuse it.
/// </summary>
[Collection(Serial.Name)]
public sealed class CrossOriginControlTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static double Strength(HttpClient http, string url) =>
        JsonNode.Parse(http.GetStringAsync(url + "status.json").Result)!["strength"]!.GetValue<double>();

    [Fact]
    public void OnlyTheServedPageAndOriginlessClientsMayChangeTheControls()
    {
        Ffmpeg.MakeClip(_dir["clip.mp4"], 96, 64, 3, rate: "10", audioStreams: 0);
        var port = Background.FreePort();
        var url = $"http://127.0.0.1:{port}/";
        using var live = new Background(false, "live", "-m", TestPaths.Ml5("wave"), "-i", _dir["clip.mp4"], "--loop", "--sink", url, "--duration", "90");
        live.WaitForHttp(url + "snapshot.jpg", TimeSpan.FromSeconds(60));
        using var http = new HttpClient();

        // A forged Origin (what a browser sends from another site) is refused and changes nothing.
        var forged = new HttpRequestMessage(HttpMethod.Post, url + "strength") { Content = new StringContent("0", Encoding.UTF8, "text/plain") };
        forged.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, http.Send(forged).StatusCode);
        var style = new HttpRequestMessage(HttpMethod.Post, url + "style") { Content = new StringContent("wave") };
        style.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, http.Send(style).StatusCode);
        Assert.Equal(1.0, Strength(http, url));

        // The page LiveStyle serves still controls it, from a real browser.
        using var browser = new ChromiumPage(url);
        var answer = browser.Evaluate("fetch('strength', {method: 'POST', body: '0.25'}).then(r => r.status, e => String(e))");
        Assert.True(answer?.GetValueKind() == System.Text.Json.JsonValueKind.Number && answer.GetValue<int>() == 200, $"the served page's POST got {answer}");
        Assert.Equal(0.25, Strength(http, url), 6);

        // A page from another origin (another loopback port) tries the same in that browser: refused.
        using var evil = new LoopbackServer(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("<!doctype html><title>cats</title><p>cute cats</p>"));
        });
        browser.Navigate(evil.BaseUrl);
        // Each fetch resolves once LiveStyle has answered (an opaque response), so its decision is made before the check.
        Assert.Equal("opaque", browser.Evaluate($"fetch('{url}strength', {{method: 'POST', body: '0', mode: 'no-cors'}}).then(r => r.type)")?.GetValue<string>());
        Assert.Equal("opaque", browser.Evaluate($"fetch('{url}style', {{method: 'POST', body: 'wave', mode: 'no-cors'}}).then(r => r.type)")?.GetValue<string>());
        Assert.Equal(0.25, Strength(http, url), 6);
    }
}
