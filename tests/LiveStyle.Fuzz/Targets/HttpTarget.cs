using System.Net;
using System.Net.Sockets;
using LiveStyle.Media.Images;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Sinks;

namespace LiveStyle.Fuzz.Targets;

/// <summary>
/// Raw bytes to `live --serve`'s HTTP sink on a loopback port, as a stranger on the network sends them: the request
/// line, headers, bodies (chunked or not), the controls and painting uploads (decoded as live decodes them). A finding
/// is an exception escaping the sink's handlers into the remote, or a sink that stops answering afterwards.
/// </summary>
public sealed class HttpTarget : FuzzTarget
{
    private Remote? _remote;
    // One keep-alive connection for the liveness checks: a connection per input would leave thousands of sockets in
    // TIME_WAIT each second and run the machine out of ports, which afl-fuzz would record as crashes of the sink.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private HttpSink? _sink;
    private int _port;

    /// <summary>
    /// Started on the first input, not in the constructor: instrumented code (the sink, and the remote's settings, a
    /// Render type) must not run before SharpFuzz's Fuzzer.Run has set up afl-fuzz's shared memory, or its first
    /// coverage write faults.
    /// </summary>
    private void Start()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _remote = new Remote();
        _sink = new HttpSink("127.0.0.1", _port, token: null, _remote);
        _sink.Write(new byte[16 * 12 * 3], 16, 12);
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        // The sink matches requests by the port they arrive on; the Host header's port is not consulted.
        const string host = "Host: 127.0.0.1\r\n";
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
        if (_sink == null) Start();
        using (var client = new TcpClient())
        {
            client.LingerState = new LingerOption(true, 0); // closed with a reset: no TIME_WAIT left behind (see _http)
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
        if (_remote!.TakeFailure() is { } failure) throw new InvalidOperationException("the sink let an exception through", failure);
        var status = _http.GetAsync($"http://127.0.0.1:{_port}/status.json").Result.StatusCode;
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"the sink answers {status} after that input");
    }

    public override void Dispose()
    {
        _http.Dispose();
        _sink?.Dispose();
        base.Dispose();
    }

    /// <summary>Two styles; uploads decoded as live decodes them, anything but a refusal kept as a finding.</summary>
    private sealed class Remote : ILiveControls
    {
        private Exception? _failure;

        /// <summary>The failure of this input's uploads, cleared so that the next input is judged on its own.</summary>
        public Exception? TakeFailure() => Interlocked.Exchange(ref _failure, null);

        public IReadOnlyList<string> Styles { get; } = ["a", "b"];
        public LiveSettings Settings { get; private set; } = new(0, 1, LiveSettings.NoSplit, false);
        public double DisplayFps => 30;
        public double LatencyMs => 10;

        public void Change(Func<LiveSettings, LiveSettings> change)
        {
            lock (Styles) Settings = change(Settings).Within(Styles.Count);
        }

        public void Screenshot() { }

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
                _failure = e;
                return "failed";
            }
        }
    }
}
