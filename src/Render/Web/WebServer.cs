using System.Net;
using LiveStyle.Render.Http;

namespace LiveStyle.Render.Web;

/// <summary>One file the web page needs, as the server sends it.</summary>
public sealed record WebFile(byte[] Bytes, string ContentType);

/// <summary>What a <see cref="WebServer"/> serves: a path (without its query) to a file, or null when it is not one of them.</summary>
public interface IWebContent
{
    WebFile? Get(string path);
}

/// <summary>
/// Serves the browser page and its files, and nothing else: GET and HEAD only, every path looked up in its
/// <see cref="IWebContent"/> (anything it does not list is 404), every answer with a strict Content-Security-Policy
/// and the cross-origin isolation headers WebAssembly threads need. Binds to loopback unless remote access is asked
/// for, and then every URL needs the token, as the HTTP sink's do.
/// </summary>
public sealed class WebServer : IDisposable
{
    /// <summary>
    /// Scripts, workers, models and WebAssembly only from this origin ('wasm-unsafe-eval' lets the page compile
    /// ONNX Runtime's WebAssembly, nothing else); images and video from here or the page's own blobs and camera;
    /// no plugins, no framing, no base URL, no form posts.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'; img-src 'self' blob: data:; " +
        "media-src 'self' blob: mediastream:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The same headers the static export asks its host for (web export writes them to _headers).</summary>
    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] = ContentSecurityPolicy,
        ["Cross-Origin-Opener-Policy"] = "same-origin",
        ["Cross-Origin-Embedder-Policy"] = "require-corp",
        ["Cross-Origin-Resource-Policy"] = "same-origin",
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
    };

    private readonly IWebContent _content;
    private readonly string? _token;
    private readonly Action<string>? _failed;
    private readonly HttpHost _host;

    public WebServer(string host, int port, string? token, IWebContent content, Action<string>? failed = null)
    {
        (_content, _token, _failed) = (content, token, failed);
        Url = HttpHost.Url(host, port, token);
        _host = new HttpHost(host, port, Serve, "pick another with --port");
    }

    /// <summary>Where a visitor opens the page (with the token when one is needed).</summary>
    public string Url { get; }

    private async Task Serve(HttpListenerContext context)
    {
        var (request, response) = (context.Request, context.Response);
        try
        {
            foreach (var (name, value) in Headers) response.Headers[name] = value;
            response.Headers["Cache-Control"] = "no-cache";
            if (!HttpAccess.TokenOk(request, _token)) await Send(response, 403, "a valid ?token= is needed");
            else if (request.HttpMethod is not ("GET" or "HEAD")) await Send(response, 405, "this server only serves files");
            else if (_content.Get(request.Url!.AbsolutePath) is not { } file) await Send(response, 404, "not found");
            else await HttpReply.Send(response, 200, file.ContentType, file.Bytes, withBody: request.HttpMethod == "GET");
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            try { response.Abort(); } catch (Exception) { }
        }
        catch (Exception e)
        {
            // A file that could not be made (a model that failed to export): the visitor gets a 500, the user one line.
            _failed?.Invoke($"{request.Url?.AbsolutePath}: {e.Message}");
            try
            {
                await Send(response, 500, "the server could not make this file");
                response.Close();
            }
            catch (Exception) { response.Abort(); }
        }
    }

    private static Task Send(HttpListenerResponse response, int status, string text) => HttpReply.Send(response, status, "text/plain; charset=utf-8", text);

    public void Dispose() => _host.Dispose();
}
