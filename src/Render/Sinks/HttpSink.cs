using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LiveStyle.Media.Images;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// A browser source for OBS (or any browser): `/` a page with the live video, `/stream.mjpg` MJPEG
/// over multipart/x-mixed-replace, `/snapshot.jpg`, `/status.json`, and POST `/style` and
/// `/strength`. Each frame is JPEG-encoded once and shared by all clients; every client is served by
/// its own task that always sends the newest frame, so a slow or stalled client only misses frames
/// itself. Binds to loopback unless remote access is asked for, which then needs the token.
/// </summary>
public sealed class HttpSink : IFrameSink
{
    private readonly HttpListener _listener = new();
    private readonly ILiveRemote _remote;
    private readonly string? _token;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private volatile byte[]? _jpeg;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _clients;

    public HttpSink(string host, int port, string? token, ILiveRemote remote)
    {
        _remote = remote;
        _token = token;
        Name = $"http://{host}:{port}/";
        _listener.Prefixes.Add(host is "0.0.0.0" or "*" ? $"http://+:{port}/" : $"http://{host}:{port}/");
        try { _listener.Start(); }
        catch (HttpListenerException e)
        {
            throw new SinkException($"cannot serve {Name}: {(e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase) ? $"port {port} is in use; pick another port" : e.Message)}");
        }
        _accept = Task.Run(AcceptLoop);
    }

    public string Name { get; }
    public int Clients => _clients;

    public void Write(ReadOnlySpan<byte> bgr, int width, int height)
    {
        _jpeg = ImageCodec.EncodeBgr(bgr, width, height, ".jpg", 85);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void Complete() { }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(context));
        }
    }

    /// <summary>
    /// A page on any other site can POST here (a "simple" request needs no preflight), so writes are taken
    /// only without an Origin (curl, OBS's own scripts) or from this sink's own origin, and never from a
    /// browser that marks the request cross-site.
    /// </summary>
    private static bool SameOrigin(HttpListenerRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is "cross-site" or "same-site") return false;
        var origin = request.Headers["Origin"];
        return origin == null || string.Equals(origin, $"http://{request.Url!.Authority}", StringComparison.OrdinalIgnoreCase);
    }

    private async Task Serve(HttpListenerContext context)
    {
        var response = context.Response;
        var answered = false;
        try
        {
            await Answer(context.Request, response);
            answered = true;
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (HttpListenerException) { }
        catch (IOException) { }
        finally { End(response, answered); }
    }

    private async Task Answer(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (!HttpAccess.TokenOk(request, _token))
        {
            await Send(response, 403, "text/plain", "a valid ?token= is needed");
            return;
        }
        if (request.HttpMethod == "POST" && !SameOrigin(request))
        {
            await Send(response, 403, "text/plain", "controls accept requests only from the page this sink serves");
            return;
        }
        switch (request.HttpMethod, request.Url!.AbsolutePath)
        {
            case ("GET", "/"): await Send(response, 200, "text/html; charset=utf-8", Page()); break;
            case ("GET", "/stream.mjpg"): await Stream(response); break;
            case ("GET", "/snapshot.jpg"):
                if (_jpeg is { } jpeg) await Send(response, 200, "image/jpeg", jpeg);
                else await Send(response, 503, "text/plain", "no frame yet");
                break;
            case ("GET", "/status.json"): await Send(response, 200, "application/json", Status()); break;
            case ("POST", "/style"):
                if (await Body(request, response, MaxControlBytes) is not { } styleBody) break;
                var style = Encoding.UTF8.GetString(styleBody).Trim();
                await Send(response, _remote.SelectStyle(style) ? 200 : 404, "application/json", Status());
                break;
            case ("POST", "/painting"):
                if (await Body(request, response, MaxPaintingBytes) is not { } painting) break;
                var name = request.QueryString["name"] is { Length: > 0 } given ? given : $"upload {DateTime.Now:HHmmss}";
                if (_remote.AddPainting(painting, name) is { } why) await Send(response, 422, "text/plain", why);
                else await Send(response, 200, "application/json", Status());
                break;
            case ("POST", "/strength"):
                if (await Body(request, response, MaxControlBytes) is not { } strengthBody) break;
                if (float.TryParse(Encoding.UTF8.GetString(strengthBody), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 1)
                {
                    _remote.SetStrength(s);
                    await Send(response, 200, "application/json", Status());
                }
                else await Send(response, 400, "text/plain", "strength must be a number from 0 to 1");
                break;
            default: await Send(response, 404, "text/plain", "not found"); break;
        }
    }

    /// <summary>
    /// Close, not Dispose: the managed listener's Dispose shuts the connection although the headers offered
    /// keep-alive, so a client that reuses it (a browser polling status.json, OBS) reads a response that ended
    /// prematurely. A response that failed midway is aborted, as its client cannot make sense of the rest.
    /// </summary>
    private static void End(HttpListenerResponse response, bool answered)
    {
        try
        {
            if (answered) response.Close();
            else response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
    }

    private async Task Stream(HttpListenerResponse response)
    {
        response.ContentType = "multipart/x-mixed-replace; boundary=frame";
        response.SendChunked = true;
        response.Headers["Cache-Control"] = "no-store";
        var output = response.OutputStream;
        Interlocked.Increment(ref _clients);
        try
        {
            while (true) // until the sink stops or the client leaves, both of which throw
            {
                await _next.Task.WaitAsync(_stop.Token);
                var jpeg = _jpeg!;
                var header = Encoding.ASCII.GetBytes($"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n");
                await output.WriteAsync(header, _stop.Token);
                await output.WriteAsync(jpeg, _stop.Token);
                await output.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                await output.FlushAsync(_stop.Token);
            }
        }
        finally { Interlocked.Decrement(ref _clients); }
    }

    private string Status() => JsonSerializer.Serialize(new
    {
        style = _remote.Styles[_remote.StyleIndex],
        styles = _remote.Styles,
        strength = _remote.Strength,
        fps = Math.Round(_remote.DisplayFps, 2),
        latency_ms = Math.Round(_remote.LatencyMs, 1),
        clients = _clients,
    });

    private string Page()
    {
        var q = _token != null ? $"?token={Uri.EscapeDataString(_token)}" : "";
        var buttons = string.Join("", _remote.Styles.Select((s, i) => $"<button onclick=\"post('style','{i}')\">{WebUtility.HtmlEncode(s)}</button>"));
        return $$"""
            <!doctype html><html><head><meta charset="utf-8"><title>LiveStyle</title>
            <style>html,body{margin:0;background:#000;overflow:hidden}img{display:block;position:fixed;left:0;top:0}
            #ui{position:fixed;right:8px;bottom:8px;font:13px sans-serif;color:#ddd;background:#0008;padding:6px;display:none}
            body:hover #ui{display:block}</style></head><body>
            <img id="video" src="stream.mjpg{{q}}" alt="LiveStyle">
            <div id="ui">{{buttons}} strength <input type="range" min="0" max="1" step="0.05" oninput="post('strength',this.value)">
            <label>painting <input type="file" accept="image/*" onchange="paint(this.files[0])"></label> <span id="status"></span></div>
            <script>
            function post(what, value) { fetch(what + '{{q}}', {method: 'POST', body: value}); }
            function paint(file) {
              if (!file) return;
              const sep = '{{q}}' ? '&' : '?';
              fetch('painting{{q}}' + sep + 'name=' + encodeURIComponent(file.name.replace(/\.[^.]*$/, '')), {method: 'POST', body: file})
                .then(r => r.ok ? location.reload() : r.text().then(t => document.getElementById('status').textContent = t));
            }
            document.addEventListener('dragover', e => e.preventDefault());
            document.addEventListener('drop', e => { e.preventDefault(); paint(e.dataTransfer.files[0]); });
            setInterval(() => fetch('status.json{{q}}').then(r => r.json()).then(s =>
              document.getElementById('status').textContent = s.style + ' · ' + s.fps + ' fps · ' + s.latency_ms + ' ms'), 1000);
            </script></body></html>
            """;
    }

    /// <summary>A control's body: a style name or a strength.</summary>
    private const int MaxControlBytes = 4096;

    /// <summary>An uploaded painting: far above any photo of a painting, far below what would strain memory.</summary>
    public const int MaxPaintingBytes = 32 << 20;

    /// <summary>The request body, read only up to <paramref name="max"/> bytes (declared or chunked); over it, 413 is sent and null returned.</summary>
    private static async Task<byte[]?> Body(HttpListenerRequest request, HttpListenerResponse response, int max)
    {
        if (request.ContentLength64 > max)
        {
            await Send(response, 413, "text/plain", $"the body is over {max:N0} bytes");
            return null;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[64 << 10];
        int n;
        while ((n = await request.InputStream.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + n > max)
            {
                await Send(response, 413, "text/plain", $"the body is over {max:N0} bytes");
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static Task Send(HttpListenerResponse response, int status, string type, string text) => Send(response, status, type, Encoding.UTF8.GetBytes(text));

    private static async Task Send(HttpListenerResponse response, int status, string type, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try { _accept.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}

public sealed class SinkException(string message) : Exception(message);
