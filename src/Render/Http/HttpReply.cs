using System.Net;
using System.Text;

namespace LiveStyle.Render.Http;

/// <summary>Answers and request bodies, the same way for every LiveStyle server.</summary>
public static class HttpReply
{
    public static Task Send(HttpListenerResponse response, int status, string type, string text) => Send(response, status, type, Encoding.UTF8.GetBytes(text));

    public static async Task Send(HttpListenerResponse response, int status, string type, byte[] body, bool withBody = true)
    {
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        if (withBody) await response.OutputStream.WriteAsync(body);
    }

    /// <summary>The request body, read only up to <paramref name="max"/> bytes (declared or chunked); over it, 413 is sent and null returned.</summary>
    public static async Task<byte[]?> Body(HttpListenerRequest request, HttpListenerResponse response, int max)
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

    /// <summary>
    /// Close, not Dispose: the managed listener's Dispose shuts the connection although the headers offered
    /// keep-alive, so a client that reuses it (a browser polling status.json, OBS) reads a response that ended
    /// prematurely. A response that failed midway is aborted, as its client cannot make sense of the rest.
    /// </summary>
    public static void End(HttpListenerResponse response, bool answered)
    {
        try
        {
            if (answered) response.Close();
            else response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
    }
}
