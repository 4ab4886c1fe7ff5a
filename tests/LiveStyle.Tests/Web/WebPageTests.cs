using System.Diagnostics;
using System.Net;
using LiveStyle.Media.Images;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Web;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Web;

/// <summary>
/// `livestyle web` and `web export` in headless Chromium with a fake camera (a clip made here) on ONNX Runtime Web's
/// WebAssembly backend: the frame the page paints, read back from its canvas, is what `livestyle stylize` makes of the
/// same camera frame with the same style, for a catalog style and a `mobile` network.
/// </summary>
[Collection(Serial.Name)]
public sealed class WebPageTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env => new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };

    private string Student
    {
        get
        {
            var path = _dir["student.safetensors"];
            if (!File.Exists(path)) RandomNetworks.Save(TransformNetConfig.Mobile, path, seed: 11, style: "student");
            return path;
        }
    }

    private string Camera()
    {
        Y4m.Write(_dir["camera.y4m"], TestImages.Photo(320, 240));
        return _dir["camera.y4m"];
    }

    [Fact]
    public void ThePageStylizesTheVisitorsCameraAsStylizeDoes()
    {
        var port = Background.FreePort();
        using var server = new Background(false, Env, "web", "-m", $"wave,{Student}", "--port", port.ToString(), "--no-paintings");
        server.WaitForHttp($"http://127.0.0.1:{port}/styles.json", TimeSpan.FromSeconds(60));
        using var page = new ChromiumPage($"http://127.0.0.1:{port}/?style=none", ChromiumPage.FakeCamera(Camera()));
        AssertPaintsAsStylize(page, $"http://127.0.0.1:{port}/", "wave", "wave");
        AssertPaintsAsStylize(page, $"http://127.0.0.1:{port}/", WebSite.IdOf(Student), Student);
    }

    [Fact]
    public void TheExportedSiteWorksFromAPlainStaticServer()
    {
        var export = CliRunner.Run(Env, "web", "export", "-m", $"wave,{Student}", "--no-paintings", "-o", _dir["site"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(File.Exists(Path.Combine(_dir["site"], "models", "wave.onnx")));
        Assert.Contains("Content-Security-Policy", File.ReadAllText(Path.Combine(_dir["site"], "_headers")));
        using var site = new StaticSite(new Dictionary<string, string> { [""] = _dir["site"] });
        using var page = new ChromiumPage(site.BaseUrl + "index.html?style=none", ChromiumPage.FakeCamera(Camera()));
        AssertPaintsAsStylize(page, site.BaseUrl + "index.html", "wave", "wave");
        AssertPaintsAsStylize(page, site.BaseUrl + "index.html", WebSite.IdOf(Student), Student);
    }

    /// <summary>
    /// A painting dropped onto the page becomes its style: the predictor runs in the page, its vector feeds the
    /// conditional transformer. Compared with `stylize -m painting.png` of the same frame, the only difference is how the
    /// browser and OpenCV shrink the painting for the predictor, so the bound is PSNR, not levels.
    /// </summary>
    [Fact]
    public void APaintingDroppedOntoThePageBecomesItsStyle()
    {
        var port = Background.FreePort();
        using var server = new Background(false, Env, "web", "-m", "wave", "--port", port.ToString());
        server.WaitForHttp($"http://127.0.0.1:{port}/styles.json", TimeSpan.FromSeconds(60));
        using var page = new ChromiumPage($"http://127.0.0.1:{port}/?size=160x120&backend=wasm", ChromiumPage.FakeCamera(Camera()));
        WaitForFrames(page, 1);
        var png = ImageCodec.Encode(Paintings.Procedural(5, 320), ".png");
        File.WriteAllBytes(_dir["strokes.png"], png);
        page.Evaluate($$"""
            (() => {
              const bytes = Uint8Array.from(atob('{{Convert.ToBase64String(png)}}'), c => c.charCodeAt(0));
              const files = new DataTransfer();
              files.items.add(new File([bytes], 'strokes.png', { type: 'image/png' }));
              document.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
              return true;
            })()
            """);
        var clock = Stopwatch.StartNew();
        while (page.Evaluate("livestyle.style === 'strokes' && livestyle.painted >= 2")?.GetValue<bool>() != true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the painting did not become the style: {page.Evaluate("document.getElementById('message').textContent")}");
            Thread.Sleep(200);
        }
        var input = Rgb(page.Evaluate(Base64("livestyle.lastInput.data"))!.GetValue<string>(), 160, 120);
        var painted = Rgb(page.Evaluate(Base64("document.getElementById('output').getContext('2d').getImageData(0, 0, 160, 120).data"))!.GetValue<string>(), 160, 120);
        ImageCodec.Write(_dir["frame.png"], input);
        var r = CliRunner.Run(Env, "stylize", "-m", _dir["strokes.png"], "-i", _dir["frame.png"], "-o", _dir["native.png"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var psnr = Media.Pixels.Psnr.Of(ImageCodec.Read(_dir["native.png"]).Pixels, painted.Pixels);
        Assert.True(psnr >= 25, $"the page's painting style is {psnr:F1} dB from stylize's");
        Assert.True(Media.Pixels.Psnr.Of(input.Pixels, painted.Pixels) < 20, "the painting left the frame as it was");
    }

    private static void WaitForFrames(ChromiumPage page, int frames)
    {
        var clock = Stopwatch.StartNew();
        while (page.Evaluate($"livestyle.painted >= {frames}")?.GetValue<bool>() != true)
        {
            var error = page.Evaluate("livestyle.error")?.GetValue<string>();
            Assert.True(error == null, $"the page stopped: {error}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the page painted no frame in 90 s");
            Thread.Sleep(200);
        }
    }

    private void AssertPaintsAsStylize(ChromiumPage page, string url, string id, string model)
    {
        page.Navigate($"{url}?style={Uri.EscapeDataString(id)}&size=160x120&backend=wasm");
        var clock = Stopwatch.StartNew();
        while (page.Evaluate("livestyle.painted >= 2")?.GetValue<bool>() != true)
        {
            var error = page.Evaluate("livestyle.error")?.GetValue<string>();
            Assert.True(error == null, $"the page stopped: {error}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the page painted no frame of {id} in 90 s");
            Thread.Sleep(200);
        }
        Assert.Equal("wasm", page.Evaluate("livestyle.backend")!.GetValue<string>());
        var input = Rgb(page.Evaluate(Base64("livestyle.lastInput.data"))!.GetValue<string>(), 160, 120);
        var painted = Rgb(page.Evaluate(Base64("document.getElementById('output').getContext('2d').getImageData(0, 0, 160, 120).data"))!.GetValue<string>(), 160, 120);

        ImageCodec.Write(_dir[$"{id}-frame.png"], input);
        var r = CliRunner.Run(Env, "stylize", "-m", model, "-i", _dir[$"{id}-frame.png"], "-o", _dir[$"{id}-stylized.png"], "--force");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var expected = ImageCodec.Read(_dir[$"{id}-stylized.png"]).Pixels;
        var within = expected.Zip(painted.Pixels).Count(p => Math.Abs(p.First - p.Second) <= 2) / (double)expected.Length;
        Assert.True(within >= 0.99, $"{id}: only {within:P2} of the page's values are within 2 levels of stylize's");
        var changed = input.Pixels.Zip(painted.Pixels).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(changed > 5, $"{id}: the page painted the camera frame as it was");
    }

    private static string Base64(string bytes) =>
        $"(() => {{ const d = {bytes}; let s = ''; for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000)); return btoa(s); }})()";

    private static Image Rgb(string base64, int width, int height)
    {
        var rgba = Convert.FromBase64String(base64);
        Assert.Equal(width * height * 4, rgba.Length);
        var image = new Image(width, height, 3);
        for (var i = 0; i < width * height; i++)
        {
            image.Pixels[3 * i] = rgba[4 * i];
            image.Pixels[3 * i + 1] = rgba[4 * i + 1];
            image.Pixels[3 * i + 2] = rgba[4 * i + 2];
        }
        return image;
    }

    [Theory]
    [InlineData("absent", "no camera was found")]
    [InlineData("refused", "the camera was refused")]
    public void WithoutACameraThePageSaysSoAndKeepsWorking(string camera, string message)
    {
        var port = Background.FreePort();
        using var server = new Background(false, Env, "web", "-m", "wave", "--port", port.ToString(), "--no-paintings");
        server.WaitForHttp($"http://127.0.0.1:{port}/styles.json", TimeSpan.FromSeconds(60));
        string[] switches = camera == "absent"
            ? ["--use-fake-ui-for-media-stream"]
            : ["--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={Camera()}", "--deny-permission-prompts"];
        using var page = new ChromiumPage($"http://127.0.0.1:{port}/?backend=wasm", switches);
        var clock = Stopwatch.StartNew();
        string? shown = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !(shown = page.Evaluate("document.getElementById('message').textContent")?.GetValue<string>() ?? "").Contains(message))
            Thread.Sleep(200);
        Assert.Contains(message, shown);
        Assert.Equal(1, page.Evaluate("document.querySelectorAll('#styles button').length")!.GetValue<int>());
        Assert.Equal("wave", page.Evaluate("livestyle.style")!.GetValue<string>());
    }

    [Fact]
    public void OnlyWhatTheServerListsIsServedAndEveryAnswerCarriesItsPolicy()
    {
        var port = Background.FreePort();
        using var server = new Background(false, Env, "web", "-m", "wave", "--port", port.ToString(), "--no-paintings");
        var baseUrl = $"http://127.0.0.1:{port}/";
        server.WaitForHttp(baseUrl + "styles.json", TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        foreach (var path in new[] { "models/udnie.onnx", "models/wave.pth", "models/%2E%2E/%2E%2E/etc/passwd", "ort/ort.min.js", "arbitrary/predictor.onnx", "Program.cs" })
        {
            using var answer = http.GetAsync(baseUrl + path).Result;
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{path}: {answer.StatusCode}");
            Assert.Contains("default-src 'none'", answer.Headers.GetValues("Content-Security-Policy").Single());
        }
        using (var page = http.GetAsync(baseUrl).Result)
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("require-corp", page.Headers.GetValues("Cross-Origin-Embedder-Policy").Single());
        }
        using (var posted = http.PostAsync(baseUrl + "styles.json", new StringContent("x")).Result)
            Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
        using (var model = http.GetAsync(baseUrl + "models/wave.onnx").Result)
            Assert.True(model.StatusCode == HttpStatusCode.OK && model.Content.ReadAsByteArrayAsync().Result.Length > 1_000_000);
    }
}
