using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Arbitrary;

/// <summary>
/// Paintings arriving while live runs: dropped into the watched folder, or uploaded to the control page (under the
/// same origin rule as every control, a size limit, and the image checks every file gets).
/// </summary>
[Collection(Serial.Name)]
public sealed class LivePaintingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void APaintingDroppedOrUploadedBecomesTheStyleShown()
    {
        var folder = _dir["paintings"];
        Directory.CreateDirectory(folder);
        var port = Background.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}/";
        using var live = new Background(false, new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"] },
            "live", "-m", "wave", "-i", "testpattern", "--size", "160x120", "--no-window", "--sink", $"http://127.0.0.1:{port}", "--paintings", folder, "--duration", "120");
        live.WaitForHttp(baseUrl + "status.json", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // Written in place, as an editor saving into the folder would: the watcher waits for a complete file.
        File.WriteAllBytes(Path.Combine(folder, "strokes.png"), ImageCodec.Encode(Paintings.Procedural(3), ".png"));
        var status = WaitForStyle(http, baseUrl, "strokes");
        Assert.Equal(["wave", "strokes"], status["styles"]!.AsArray().Select(s => s!.GetValue<string>()));

        var upload = ImageCodec.Encode(Paintings.Procedural(4), ".jpg");
        using (var answer = http.PostAsync(baseUrl + "painting?name=uploaded", new ByteArrayContent(upload)).Result)
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        WaitForStyle(http, baseUrl, "uploaded");

        using (var notAnImage = http.PostAsync(baseUrl + "painting?name=list", new StringContent("not a painting")).Result)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, notAnImage.StatusCode);
            Assert.Contains("not a readable image", notAnImage.Content.ReadAsStringAsync().Result);
        }
        // An empty upload (found by fuzzing: OpenCvSharp's own ArgumentException came back as the answer) is one clear line.
        using (var empty = http.PostAsync(baseUrl + "painting?name=nothing", new ByteArrayContent([])).Result)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
            Assert.Equal("nothing is empty: not an image", empty.Content.ReadAsStringAsync().Result);
        }
        var foreign = new HttpRequestMessage(HttpMethod.Post, baseUrl + "painting?name=evil") { Content = new ByteArrayContent(upload) };
        foreign.Headers.Add("Origin", "http://evil.example");
        using (var refused = http.SendAsync(foreign).Result) Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // A body over the limit is refused from its declared length, before a byte of it is read.
        Assert.StartsWith("HTTP/1.1 413", RawPost(port, "/painting?name=huge", (32 << 20) + 1));
        var last = Status(http, baseUrl);
        Assert.Equal(3, last["styles"]!.AsArray().Count);
        Assert.Equal("uploaded", last["style"]!.GetValue<string>());
    }

    /// <summary>Sends only the headers of a POST declaring <paramref name="length"/> bytes; returns the status line.</summary>
    private static string RawPost(int port, string path, long length)
    {
        using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
        client.ReceiveTimeout = 10_000;
        var stream = client.GetStream();
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {length}\r\n\r\n"));
        var reply = new byte[256];
        var n = stream.Read(reply);
        return System.Text.Encoding.ASCII.GetString(reply, 0, n);
    }

    private static JsonNode Status(HttpClient http, string baseUrl) => JsonNode.Parse(http.GetStringAsync(baseUrl + "status.json").Result)!;

    private static JsonNode WaitForStyle(HttpClient http, string baseUrl, string style)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var status = Status(http, baseUrl);
            if (status["style"]?.GetValue<string>() == style) return status;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"live did not switch to {style} within 30 s: {Status(http, baseUrl)}");
    }
}
