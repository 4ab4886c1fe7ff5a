namespace LiveStyle.Models.Store;

/// <summary>Reads files relative to a base that is an http(s) URL, a file:// URL or a plain folder.</summary>
internal sealed class Fetcher(string baseUrl) : IDisposable
{
    private readonly HttpClient? _http = baseUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
                                         baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        ? new HttpClient { Timeout = TimeSpan.FromMinutes(5) }
        : null;

    public async Task<byte[]> GetAsync(string relative, CancellationToken cancel)
    {
        if (_http == null)
        {
            var folder = baseUrl.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(baseUrl).LocalPath : baseUrl;
            var path = Path.Combine(folder, relative);
            try { return await File.ReadAllBytesAsync(path, cancel); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot read {path} from the mirror: {e.Message}", e);
            }
        }

        var url = baseUrl + relative;
        try
        {
            using var response = await _http.GetAsync(url, cancel);
            if (!response.IsSuccessStatusCode)
                throw new StoreException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            return await response.Content.ReadAsByteArrayAsync(cancel);
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

    public void Dispose() => _http?.Dispose();
}
