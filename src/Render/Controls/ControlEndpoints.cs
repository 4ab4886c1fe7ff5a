using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LiveStyle.Render.Http;

namespace LiveStyle.Render.Controls;

/// <summary>
/// The live session's HTTP controls: GET <c>/status.json</c>, POST <c>/style</c> (a name or 0-based index),
/// <c>/strength</c> (0..1) and <c>/painting</c> (an encoded image that becomes a style). Writes are taken only from the
/// serving page's own origin or from clients that send none (curl, OBS's scripts).
/// </summary>
public sealed class ControlEndpoints(ILiveControls controls, Func<int> clients)
{
    /// <summary>A control's body: a style name or a strength.</summary>
    private const int MaxControlBytes = 4096;

    /// <summary>An uploaded painting: far above any photo of a painting, far below what would strain memory.</summary>
    public const int MaxPaintingBytes = 32 << 20;

    /// <summary>Answers the request when it is one of the controls; false (nothing sent) when it is not.</summary>
    public async Task<bool> TryAnswer(HttpListenerRequest request, HttpListenerResponse response)
    {
        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == "/status.json")
        {
            await HttpReply.Send(response, 200, "application/json", Status());
            return true;
        }
        if (request.HttpMethod != "POST" || path is not ("/style" or "/strength" or "/painting")) return false;
        if (!SameOrigin(request))
        {
            await HttpReply.Send(response, 403, "text/plain", "controls accept requests only from the page this sink serves");
            return true;
        }
        switch (path)
        {
            case "/style":
                if (await HttpReply.Body(request, response, MaxControlBytes) is not { } styleBody) break;
                var found = IndexOf(Encoding.UTF8.GetString(styleBody).Trim());
                if (found is { } index) controls.Change(s => s with { StyleIndex = index });
                await HttpReply.Send(response, found != null ? 200 : 404, "application/json", Status());
                break;
            case "/strength":
                if (await HttpReply.Body(request, response, MaxControlBytes) is not { } strengthBody) break;
                if (float.TryParse(Encoding.UTF8.GetString(strengthBody), NumberStyles.Float, CultureInfo.InvariantCulture, out var strength) && strength is >= 0 and <= 1)
                {
                    controls.Change(s => s with { Strength = strength });
                    await HttpReply.Send(response, 200, "application/json", Status());
                }
                else await HttpReply.Send(response, 400, "text/plain", "strength must be a number from 0 to 1");
                break;
            case "/painting":
                if (await HttpReply.Body(request, response, MaxPaintingBytes) is not { } painting) break;
                var name = request.QueryString["name"] is { Length: > 0 } given ? given : $"upload {DateTime.Now:HHmmss}";
                if (controls.AddPainting(painting, name) is { } why) await HttpReply.Send(response, 422, "text/plain", why);
                else await HttpReply.Send(response, 200, "application/json", Status());
                break;
        }
        return true;
    }

    /// <summary>A style by name or 0-based index; null when there is none.</summary>
    private int? IndexOf(string nameOrIndex)
    {
        var styles = controls.Styles;
        var index = int.TryParse(nameOrIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : styles.ToList().IndexOf(nameOrIndex);
        return index >= 0 && index < styles.Count ? index : null;
    }

    /// <summary>
    /// A page on any other site can POST here (a "simple" request needs no preflight), so writes are taken
    /// only without an Origin (curl, OBS's own scripts) or from the serving page's own origin, and never from a
    /// browser that marks the request cross-site.
    /// </summary>
    private static bool SameOrigin(HttpListenerRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is "cross-site" or "same-site") return false;
        var origin = request.Headers["Origin"];
        return origin == null || string.Equals(origin, $"http://{request.Url!.Authority}", StringComparison.OrdinalIgnoreCase);
    }

    private string Status()
    {
        var settings = controls.Settings;
        var styles = controls.Styles;
        return JsonSerializer.Serialize(new
        {
            style = styles[Math.Min(settings.StyleIndex, styles.Count - 1)],
            styles,
            strength = settings.Strength,
            fps = Math.Round(controls.DisplayFps, 2),
            latency_ms = Math.Round(controls.LatencyMs, 1),
            clients = clients(),
        });
    }
}
