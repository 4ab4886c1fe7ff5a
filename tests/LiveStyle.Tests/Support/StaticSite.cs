using System.Net;

namespace LiveStyle.Tests.Support;

/// <summary>
/// A plain static file server on loopback: each URL prefix maps to a folder, and only files under those folders
/// are served (with their type from the extension). What a static host does, and nothing more.
/// </summary>
public sealed class StaticSite : IDisposable
{
    private readonly LoopbackServer _server;

    public StaticSite(IReadOnlyDictionary<string, string> folders)
    {
        var roots = folders.ToDictionary(kv => "/" + kv.Key.Trim('/') + (kv.Key.Trim('/').Length > 0 ? "/" : ""), kv => Path.GetFullPath(kv.Value));
        _server = new LoopbackServer(async ctx =>
        {
            var path = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath);
            var (prefix, root) = roots.Where(r => path.StartsWith(r.Key, StringComparison.Ordinal)).MaxBy(r => r.Key.Length);
            var file = root == null ? null : Path.GetFullPath(Path.Combine(root, path[prefix.Length..]));
            if (file == null || !file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            ctx.Response.ContentType = TypeOf(file);
            var bytes = await File.ReadAllBytesAsync(file);
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
        });
    }

    public string BaseUrl => _server.BaseUrl;

    private static string TypeOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript",
        ".wasm" => "application/wasm",
        ".json" => "application/json",
        ".png" => "image/png",
        ".jpg" => "image/jpeg",
        _ => "application/octet-stream",
    };

    public void Dispose() => _server.Dispose();
}
