using System.Net;
using System.Text;
using LiveStyle.Media.Images;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// The browser source's picture: each frame is JPEG-encoded once and shared by every client; each client's stream
/// (MJPEG over multipart/x-mixed-replace) always sends the newest frame, so a slow or stalled client only misses
/// frames itself.
/// </summary>
public sealed class MjpegOutput
{
    private volatile byte[]? _jpeg;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _clients;

    public int Clients => _clients;

    /// <summary>The newest frame as JPEG, or null before the first.</summary>
    public byte[]? Snapshot => _jpeg;

    public void Write(ReadOnlySpan<byte> bgr, int width, int height)
    {
        _jpeg = ImageCodec.EncodeBgr(bgr, width, height, ".jpg", 85);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Streams frames to one client until <paramref name="stop"/> fires or the client leaves (both throw).</summary>
    public async Task Stream(HttpListenerResponse response, CancellationToken stop)
    {
        response.ContentType = "multipart/x-mixed-replace; boundary=frame";
        response.SendChunked = true;
        response.Headers["Cache-Control"] = "no-store";
        var output = response.OutputStream;
        Interlocked.Increment(ref _clients);
        try
        {
            while (true)
            {
                await _next.Task.WaitAsync(stop);
                var jpeg = _jpeg!;
                var header = Encoding.ASCII.GetBytes($"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n");
                await output.WriteAsync(header, stop);
                await output.WriteAsync(jpeg, stop);
                await output.WriteAsync("\r\n"u8.ToArray(), stop);
                await output.FlushAsync(stop);
            }
        }
        finally { Interlocked.Decrement(ref _clients); }
    }
}
