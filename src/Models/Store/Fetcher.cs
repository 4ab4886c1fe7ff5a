namespace LiveStyle.Models.Store;

/// <summary>Reads files relative to a base that is an http(s) URL, a file:// URL or a plain folder.</summary>
internal sealed class Fetcher(string baseUrl) : IDisposable
{
    private readonly HttpClient? _http = baseUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
                                         baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        ? new HttpClient { Timeout = TimeSpan.FromMinutes(5) }
        : null;

    /// <summary>The file's bytes; more than <paramref name="maxBytes"/> (its pinned size) is refused without being kept.</summary>
    public async Task<byte[]> GetAsync(string relative, long maxBytes, CancellationToken cancel)
    {
        if (_http == null)
        {
            var folder = baseUrl.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(baseUrl).LocalPath : baseUrl;
            var path = Path.Combine(folder, relative);
            try
            {
                if (new FileInfo(path) is { Exists: true } f && f.Length > maxBytes) throw TooLong(path, maxBytes);
                return await File.ReadAllBytesAsync(path, cancel);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot read {path} from the mirror: {e.Message}", e);
            }
        }

        var url = baseUrl + relative;
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (!response.IsSuccessStatusCode)
                throw new StoreException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.Content.Headers.ContentLength > maxBytes) throw TooLong(url, maxBytes);
            await using var body = await response.Content.ReadAsStreamAsync(cancel);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await ReadWithin(body, chunk, url, cancel)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw TooLong(url, maxBytes);
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (HttpRequestException e)
        {
            throw new StoreException($"cannot download {url}: {e.Message} (offline? point {ModelStore.MirrorVariable} at a mirror)", e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new StoreException($"download of {url} timed out", e);
        }
    }

    /// <summary>How long a download may go without a byte before it is given up (LIVESTYLE_DOWNLOAD_IDLE_SECONDS, default 30).</summary>
    public static TimeSpan IdleTimeout => TimeSpan.FromSeconds(Files.EnvironmentLimit.Read("LIVESTYLE_DOWNLOAD_IDLE_SECONDS", 30));

    /// <summary>One read of a download, given up with a <see cref="StoreException"/> when nothing arrives for <see cref="IdleTimeout"/>.</summary>
    public static async Task<int> ReadWithin(Stream body, Memory<byte> buffer, string url, CancellationToken cancel)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var limit = IdleTimeout;
        idle.CancelAfter(limit);
        try { return await body.ReadAsync(buffer, idle.Token); }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new StoreException($"download of {url} stalled: nothing arrived for {limit.TotalSeconds:0} s (a slow or broken mirror; try again or point {ModelStore.MirrorVariable} elsewhere)");
        }
    }

    private static StoreException TooLong(string where, long maxBytes) =>
        new($"{where} is longer than its pinned size ({maxBytes:N0} bytes); refusing it");

    public void Dispose() => _http?.Dispose();
}
