using System.Net;

namespace LiveStyle.Tests.Support;

/// <summary>An HTTP server on 127.0.0.1 and a free port; each request is handed to <c>handle</c> on its own task.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackServer(Func<HttpListenerContext, Task> handle)
    {
        Port = Background.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); } catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    try { await handle(ctx); } catch (Exception) { } // the client hung up
                    try { ctx.Response.Close(); } catch (Exception) { }
                });
            }
        });
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public void Dispose()
    {
        // Close alone: .NET's managed listener re-resolves its endpoint on Close after Stop, which binds the
        // port again and fails with "Address already in use" once another test's server has taken it.
        try { _listener.Close(); }
        catch (HttpListenerException) { }
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
