using System.Net;
using LiveStyle.Render.Sinks;

namespace LiveStyle.Render.Http;

/// <summary>
/// One HTTP listener and its accept loop, for LiveStyle's servers (the live browser source and the web page): each
/// request is answered on a task of its own by the owner's handler, so a slow client holds up only itself.
/// </summary>
public sealed class HttpHost : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    /// <param name="host">A name or address; 0.0.0.0 or * listens on every interface.</param>
    /// <param name="portHint">What to tell the user to change when the port is taken.</param>
    public HttpHost(string host, int port, Func<HttpListenerContext, Task> serve, string portHint)
    {
        _serve = serve;
        _listener.Prefixes.Add(IsAnyHost(host) ? $"http://+:{port}/" : $"http://{host}:{port}/");
        try { _listener.Start(); }
        catch (HttpListenerException e)
        {
            throw new SinkException($"cannot serve on {host}:{port}: {(e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase) ? $"port {port} is in use; {portHint}" : e.Message)}");
        }
        _accept = Task.Run(AcceptLoop);
    }

    public static bool IsAnyHost(string host) => host is "0.0.0.0" or "*";

    /// <summary>Where a visitor opens <paramref name="host"/>'s root, with the token when one is needed.</summary>
    public static string Url(string host, int port, string? token) =>
        $"http://{(IsAnyHost(host) ? "<this machine>" : host)}:{port}/{(token != null ? $"?token={token}" : "")}";

    /// <summary>Cancelled when the host stops: long answers (streams) end on it.</summary>
    public CancellationToken Stopping => _stop.Token;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => _serve(context));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        // _stop is not disposed: answers still in flight read Stopping after this returns.
        try { _accept.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
