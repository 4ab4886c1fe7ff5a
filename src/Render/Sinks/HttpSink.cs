using System.Net;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Http;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// A browser source for OBS (or any browser), at one address: `/` a page with the live video and the controls, the
/// picture from <see cref="MjpegOutput"/> (`/stream.mjpg`, `/snapshot.jpg`) and the session's
/// <see cref="ControlEndpoints"/> (`/status.json`, POST `/style`, `/strength`, `/painting`). Binds to loopback unless
/// remote access is asked for, which then needs the token on every URL.
/// </summary>
public sealed class HttpSink : IFrameSink
{
    private readonly MjpegOutput _picture = new();
    private readonly ControlEndpoints _endpoints;
    private readonly ILiveControls _controls;
    private readonly string? _token;
    private readonly HttpHost _host;

    public HttpSink(string host, int port, string? token, ILiveControls controls)
    {
        (_controls, _token) = (controls, token);
        _endpoints = new ControlEndpoints(controls, () => _picture.Clients);
        Name = $"http://{host}:{port}/";
        _host = new HttpHost(host, port, Serve, "pick another port");
    }

    public string Name { get; }
    public int Clients => _picture.Clients;

    public void Write(ReadOnlySpan<byte> bgr, int width, int height) => _picture.Write(bgr, width, height);

    public void Complete() { }

    private async Task Serve(HttpListenerContext context)
    {
        var response = context.Response;
        var answered = false;
        try
        {
            await Answer(context.Request, response);
            answered = true;
        }
        catch (Exception) when (_host.Stopping.IsCancellationRequested) { }
        catch (HttpListenerException) { }
        catch (IOException) { }
        finally { HttpReply.End(response, answered); }
    }

    private async Task Answer(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (!HttpAccess.TokenOk(request, _token))
        {
            await HttpReply.Send(response, 403, "text/plain", "a valid ?token= is needed");
            return;
        }
        if (await _endpoints.TryAnswer(request, response)) return;
        switch (request.HttpMethod, request.Url!.AbsolutePath)
        {
            case ("GET", "/"): await HttpReply.Send(response, 200, "text/html; charset=utf-8", Page()); break;
            case ("GET", "/stream.mjpg"): await _picture.Stream(response, _host.Stopping); break;
            case ("GET", "/snapshot.jpg"):
                if (_picture.Snapshot is { } jpeg) await HttpReply.Send(response, 200, "image/jpeg", jpeg);
                else await HttpReply.Send(response, 503, "text/plain", "no frame yet");
                break;
            default: await HttpReply.Send(response, 404, "text/plain", "not found"); break;
        }
    }

    private string Page()
    {
        var q = _token != null ? $"?token={Uri.EscapeDataString(_token)}" : "";
        var buttons = string.Join("", _controls.Styles.Select((s, i) => $"<button onclick=\"post('style','{i}')\">{WebUtility.HtmlEncode(s)}</button>"));
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

    public void Dispose() => _host.Dispose();
}
