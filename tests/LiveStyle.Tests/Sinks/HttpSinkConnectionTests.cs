using System.Net.Sockets;
using System.Text;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Sinks;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Sinks;

/// <summary>
/// The browser source's connections, over a raw socket so that what the server does to the connection is seen
/// as it is: HttpClient would hide a closed keep-alive connection behind a retry most of the time.
/// </summary>
public sealed class HttpSinkConnectionTests
{
    private sealed class Remote : ILiveControls
    {
        public IReadOnlyList<string> Styles { get; } = ["wave", "udnie"];
        public LiveSettings Settings { get; private set; } = new(0, 1, LiveSettings.NoSplit, false);
        public double DisplayFps => 12.5;
        public double LatencyMs => 40;

        public void Change(Func<LiveSettings, LiveSettings> change)
        {
            lock (Styles) Settings = change(Settings).Within(Styles.Count);
        }

        public void Screenshot() { }

        public string? AddPainting(byte[] encoded, string name) => "this test's remote takes no paintings";
    }

    [Fact]
    public void OneKeptAliveConnectionAnswersRequestAfterRequest()
    {
        var remote = new Remote();
        var port = Background.FreePort();
        using var sink = new HttpSink("127.0.0.1", port, null, remote);
        using var client = new TcpClient("127.0.0.1", port);
        client.ReceiveTimeout = 10_000;
        var stream = client.GetStream();

        var (status, body) = Exchange(stream, $"GET /status.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        Assert.Equal(200, status);
        Assert.Contains("\"style\":\"wave\"", body);

        // The same socket again, as a browser polling status.json and OBS's controls do.
        (status, body) = Exchange(stream, $"POST /strength HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 4\r\n\r\n0.25");
        Assert.Equal(200, status);
        Assert.Equal(0.25f, remote.Settings.Strength);
        Assert.Contains("\"strength\":0.25", body);

        (status, _) = Exchange(stream, $"POST /style HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 5\r\n\r\nudnie");
        Assert.Equal(200, status);
        Assert.Equal(1, remote.Settings.StyleIndex);
    }

    /// <summary>Sends one request and reads one Content-Length response; fails if the server hangs up first.</summary>
    private static (int Status, string Body) Exchange(NetworkStream stream, string request)
    {
        stream.Write(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n")) head.Append((char)ReadByte(stream));
        var lines = head.ToString().Split("\r\n");
        var length = int.Parse(lines.First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Split(':')[1]);
        var body = new byte[length];
        for (var i = 0; i < length; i++) body[i] = ReadByte(stream);
        return (int.Parse(lines[0].Split(' ')[1]), Encoding.UTF8.GetString(body));
    }

    private static byte ReadByte(NetworkStream stream)
    {
        var b = stream.ReadByte();
        Assert.True(b >= 0, "the server closed a connection it had offered to keep alive");
        return (byte)b;
    }
}
