using System.Net;
using System.Net.Sockets;
using LiveStyle.Capture.Images;
using LiveStyle.Render.Sinks;

namespace LiveStyle.Fuzz.Targets;

/// <summary>
/// Raw bytes to `live --serve`'s HTTP sink on a loopback port, as a stranger on the network sends them: the request
/// line, headers, bodies (chunked or not), the controls and painting uploads (decoded as live decodes them). A finding
/// is an exception escaping the sink's handlers into the remote, or a sink that stops answering afterwards.
/// </summary>
public sealed class HttpTarget : FuzzTarget
{
    private readonly Remote _remote = new();
    private readonly HttpSink _sink;
    private readonly int _port;

    public HttpTarget()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _sink = new HttpSink("127.0.0.1", _port, token: null, _remote);
        _sink.Write(new byte[16 * 12 * 3], 16, 12);
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var host = $"Host: 127.0.0.1:{_port}\r\n";
        byte[] Request(string head, byte[] body) => [.. System.Text.Encoding.ASCII.GetBytes(head + host + $"Content-Length: {body.Length}\r\n\r\n"), .. body];
        var jpeg = ImageCodec.Encode(new Image(8, 8, 3), ".jpg");
        yield return ("get-page", Request("GET / HTTP/1.1\r\n", []));
        yield return ("get-status", Request("GET /status.json HTTP/1.1\r\n", []));
        yield return ("post-style", Request("POST /style HTTP/1.1\r\n", "1"u8.ToArray()));
        yield return ("post-strength", Request("POST /strength HTTP/1.1\r\n", "0.5"u8.ToArray()));
        yield return ("post-painting", Request("POST /painting?name=p HTTP/1.1\r\n", jpeg));
        yield return ("chunked", System.Text.Encoding.ASCII.GetBytes($"POST /style HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n1\r\n0\r\n0\r\n\r\n"));
    }

    protected override void Parse(byte[] input)
    {
        using (var client = new TcpClient())
        {
            client.ReceiveTimeout = 2000;
            client.SendTimeout = 2000;
            client.Connect(IPAddress.Loopback, _port);
            var stream = client.GetStream();
            try
            {
                stream.Write(input);
                client.Client.Shutdown(SocketShutdown.Send);
                var buffer = new byte[4096];
                while (stream.Read(buffer) > 0) { }
            }
            catch (IOException) { } // the server may hang up on a malformed request: that is a refusal
        }
        if (_remote.Failure is { } failure) throw new InvalidOperationException("the sink let an exception through", failure);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var status = http.GetAsync($"http://127.0.0.1:{_port}/status.json").Result.StatusCode;
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"the sink answers {status} after that input");
    }

    public override void Dispose()
    {
        _sink.Dispose();
        base.Dispose();
    }

    /// <summary>Two styles; uploads decoded as live decodes them, anything but a refusal kept as a finding.</summary>
    private sealed class Remote : ILiveRemote
    {
        public Exception? Failure { get; private set; }
        public IReadOnlyList<string> Styles { get; } = ["a", "b"];
        public int StyleIndex { get; private set; }
        public float Strength { get; private set; } = 1;
        public double DisplayFps => 30;
        public double LatencyMs => 10;

        public bool SelectStyle(string nameOrIndex)
        {
            var i = int.TryParse(nameOrIndex, out var n) ? n : Styles.ToList().IndexOf(nameOrIndex);
            if (i < 0 || i >= Styles.Count) return false;
            StyleIndex = i;
            return true;
        }

        public void SetStrength(float strength) => Strength = strength;

        public string? AddPainting(byte[] encoded, string name)
        {
            try
            {
                ImageCodec.Decode(encoded, name);
                return null;
            }
            catch (ImageException e) { return e.Message; }
            catch (Exception e)
            {
                Failure = e;
                return "failed";
            }
        }
    }
}
