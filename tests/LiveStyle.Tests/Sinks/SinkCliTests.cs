using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Sinks;

/// <summary>Outputs for OBS and calls, with real peers: headless Chromium, ffprobe on UDP, a recording checked with ffprobe.</summary>
[Collection(Serial.Name)]
public sealed class SinkCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Far longer than the seconds between the browser test's two screenshots, so --loop cannot bring the second back to the first's frame.</summary>
    private const int ClipSeconds = 20;

    public SinkCliTests() => Ffmpeg.MakeClip(_dir["clip.mp4"], 96, 64, ClipSeconds, rate: "10", audioStreams: 0);

    public void Dispose() => _dir.Dispose();

    private string[] LiveArgs(params string[] extra) => ["live", "-m", TestPaths.Ml5("wave"), "-i", _dir["clip.mp4"], "--loop", .. extra];

    [Fact]
    public async Task BrowserSourceShowsChangingStylizedFramesAndAStalledClientHurtsNobody()
    {
        var port = Background.FreePort();
        var url = $"http://127.0.0.1:{port}/";
        using var live = new Background(false, LiveArgs("--sink", url, "--duration", "40"));
        live.WaitForHttp(url + "snapshot.jpg", TimeSpan.FromSeconds(60));

        var first = Chromium.Screenshot(url, _dir["page1.png"], 200, 150);
        Assert.Equal(15, CountFrames(url + "stream.mjpg", TimeSpan.FromSeconds(60), stopAt: 15)); // 1.5 s of the clip later
        var second = Chromium.Screenshot(url, _dir["page2.png"], 200, 150);
        var a = Crop(first, 96, 64);
        var b = Crop(second, 96, 64);
        Assert.True(Mean(a, b) > 2, "the page should show frames that change over time");
        // The shown picture is one of the clip's frames stylized, not an unstylized one. Candidates go through the
        // server's JPEG quality too, so what is left is decoder rounding (OpenCV vs the ffmpeg executable) and the browser.
        var (styled, plain) = BestMatches(a);
        Assert.True(styled < 6, $"page differs from every stylized frame by {styled:F1} levels");
        Console.WriteLine($"browser source: {styled:F2} levels from the best stylized frame, {plain:F2} from the best plain one");
        Assert.True(plain > 2 * styled, $"page is as close to an unstylized frame ({plain:F1}) as to a stylized one ({styled:F1})");

        using var http = new HttpClient();
        var alone = CountFrames(url + "stream.mjpg", TimeSpan.FromSeconds(3));
        using var stalled = new TcpClient("127.0.0.1", port);
        stalled.GetStream().Write(Encoding.ASCII.GetBytes($"GET /stream.mjpg HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        stalled.ReceiveBufferSize = 1024; // and never read: its socket fills up
        Assert.True(Poll.Until(() => http.GetStringAsync(url + "status.json").Result.Contains("\"clients\":1"), TimeSpan.FromSeconds(30)), "the stalled client was never served");
        var withStalled = CountFrames(url + "stream.mjpg", TimeSpan.FromSeconds(3));
        Assert.True(alone >= 10, $"only {alone} frames in 3 s");
        Assert.True(withStalled >= 0.7 * alone, $"a stalled client cut another client's frames from {alone} to {withStalled}");

        var status = await http.GetStringAsync(url + "status.json");
        Assert.Contains("\"style\":\"wave\"", status);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(url + "strength", new StringContent("0.5"))).StatusCode);
        Assert.Contains("\"strength\":0.5", await http.GetStringAsync(url + "status.json"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(url + "style", new StringContent("nope"))).StatusCode);
    }

    [Fact]
    public void UdpStreamCarriesH264()
    {
        var port = Background.FreePort();
        using var live = new Background(false, LiveArgs("--sink", $"udp://127.0.0.1:{port}?pkt_size=1316", "--duration", "25"));
        var probe = Ffmpeg.Run("ffprobe", "-v", "error", "-timeout", "20000000", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
            $"udp://127.0.0.1:{port}?timeout=20000000");
        Assert.Contains("h264,96,64", probe);
        Ffmpeg.Run("ffmpeg", "-v", "error", "-i", $"udp://127.0.0.1:{port}?timeout=20000000", "-frames:v", "10", "-f", "null", "-");
    }

    [Fact]
    public void WindowHttpAndRecordingTogetherForThirtySeconds()
    {
        var port = Background.FreePort();
        var url = $"http://127.0.0.1:{port}/";
        using var live = new Background(true, LiveArgs("--size", "96x64", "--sink", "window", "--sink", url, "--sink", _dir["rec.mp4"], "--duration", "30"));
        live.WaitForHttp(url + "snapshot.jpg", TimeSpan.FromSeconds(60));
        long Rss() => long.Parse(File.ReadAllLines($"/proc/{PidOf("livestyle.dll")}/status").First(l => l.StartsWith("VmRSS")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        // Memory is compared across frames served rather than seconds slept: 40 frames to warm up, then 120 more.
        Assert.Equal(40, CountFrames(url + "stream.mjpg", TimeSpan.FromSeconds(60), stopAt: 40));
        var early = Rss();
        Assert.Equal(120, CountFrames(url + "stream.mjpg", TimeSpan.FromSeconds(60), stopAt: 120));
        var late = Rss();
        var r = live.Wait(TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("cannot open a window", r.Stderr);
        Assert.Matches(@"shown \d{2,}", r.Stderr);
        Assert.Matches(@"http://127\.0\.0\.1:\d+/: \d{2,} frames", r.Stderr);
        var recording = Ffmpeg.ProbeFile(_dir["rec.mp4"]);
        Assert.True(recording.Frames > 100, $"{recording.Frames} frames recorded");
        Assert.InRange(recording.FormatDuration, 20, 32);
        Assert.True(late - early < 32L << 20, $"resident memory grew by {(late - early) >> 20} MB over 120 frames");
    }

    [Fact]
    public void BadSinksAreReportedAndTheOthersGoOn()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var r = CliRunner.Run(LiveArgs("--sink", $"http://127.0.0.1:{port}", "--sink", "/no/such/folder/rec.mp4", "--sink", "v4l2:/dev/null",
            "--sink", _dir["ok.mkv"], "--max-frames", "8"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"port {port} is in use", r.Stderr);
        Assert.Contains("does not exist", r.Stderr);
        Assert.Contains("/dev/null is not a V4L2 device", r.Stderr);
        Assert.True(Ffmpeg.ProbeFile(_dir["ok.mkv"]).Frames >= 5);

        CliRunner.AssertCleanFailure(CliRunner.Run(LiveArgs("--sink", "ftp://example/x", "--max-frames", "1")), "unknown sink");
        CliRunner.AssertCleanFailure(CliRunner.Run(LiveArgs("--sink", "http://0.0.0.0:8080", "--max-frames", "1")), "--allow-remote");
        CliRunner.AssertCleanFailure(CliRunner.Run(LiveArgs("--sink", "v4l2:/dev/video55", "--max-frames", "1")), "no output could be opened");
    }

    /// <summary>The dotnet process running livestyle (xvfb-run is its parent).</summary>
    private static int PidOf(string fragment)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!name.All(char.IsDigit)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.StartsWith("dotnet") && cmdline.Contains(fragment)) return int.Parse(name);
            }
            catch (IOException) { }
        }
        throw new InvalidOperationException($"no process runs {fragment}");
    }

    /// <summary>MJPEG frames received from <paramref name="url"/> within <paramref name="duration"/>, or as soon as <paramref name="stopAt"/> have come.</summary>
    private static int CountFrames(string url, TimeSpan duration, int stopAt = int.MaxValue)
    {
        using var http = new HttpClient();
        using var stream = http.GetStreamAsync(url).Result;
        var clock = Stopwatch.StartNew();
        var buffer = new byte[1 << 16];
        var frames = 0;
        var marker = "--frame"u8.ToArray();
        var tail = Array.Empty<byte>();
        while (clock.Elapsed < duration && frames < stopAt)
        {
            var pending = stream.ReadAsync(buffer).AsTask();
            var remaining = duration - clock.Elapsed;
            if (remaining <= TimeSpan.Zero || !pending.Wait(remaining)) break;
            var read = pending.Result;
            if (read == 0) break;
            var chunk = tail.Concat(buffer.Take(read)).ToArray();
            for (var i = 0; i + marker.Length <= chunk.Length; i++)
                if (chunk.AsSpan(i, marker.Length).SequenceEqual(marker) && frames < stopAt) frames++;
            tail = chunk[Math.Max(0, chunk.Length - marker.Length + 1)..];
        }
        return frames;
    }

    private static byte[] Crop(Image page, int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++) Array.Copy(page.Pixels, y * page.Width * page.Channels, rgb, y * w * 3, w * 3);
        return rgb;
    }

    private (double Styled, double Plain) BestMatches(byte[] shown)
    {
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        using var still = new StillJourney(model);
        double styled = double.MaxValue, plain = double.MaxValue;
        var pictures = Ffmpeg.Pictures(_dir["clip.mp4"]);
        var size = 96 * 64 * 3;
        for (var at = 0; at < pictures.Length; at += size)
        {
            var frame = new Image(96, 64, 3, pictures[at..(at + size)]);
            var stylized = still.Stylize(frame);
            var served = ImageCodec.Decode(ImageCodec.Encode(stylized, ".jpg", 85), "candidate").Pixels;
            styled = Math.Min(styled, Mean(shown, served));
            plain = Math.Min(plain, Mean(shown, frame.Pixels));
        }
        return (styled, plain);
    }

    private static double Mean(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
}
