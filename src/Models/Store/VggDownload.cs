using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LiveStyle.Models.Store;

/// <summary>
/// torchvision's ImageNet VGG weights for the training loss network. torchvision pins each file by
/// the first 8 hex digits of its SHA-256 in the file name (vgg16-397923af.pth), and torch.hub checks
/// exactly that; the download does the same: into a temporary file, verified, then renamed.
/// </summary>
public static partial class VggDownload
{
    public static readonly IReadOnlyDictionary<string, string> Official = new Dictionary<string, string>
    {
        ["vgg16"] = "https://download.pytorch.org/models/vgg16-397923af.pth",
        ["vgg19"] = "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth",
    };

    public static string DefaultFolder(ModelStore store) => Path.Combine(store.CacheDirectory, "vgg");

    public static async Task<string> PullAsync(string url, string folder, IProgress<(long Done, long Total)>? progress, CancellationToken cancel)
    {
        var name = Path.GetFileName(new Uri(url).AbsolutePath);
        var pinned = HashPrefix().Match(name) is { Success: true } m ? m.Groups[1].Value
            : throw new StoreException($"{name}: expected a torchvision file name ending in -<8 hex digits of its SHA-256>.pth");
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name);
        var temp = target + $".{Environment.ProcessId}.partial";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (!response.IsSuccessStatusCode) throw new StoreException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var total = response.Content.Headers.ContentLength ?? 0;
            using var sha = SHA256.Create();
            await using (var input = await response.Content.ReadAsStreamAsync(cancel))
            await using (var output = File.Create(temp))
            {
                var buffer = new byte[1 << 20];
                long done = 0;
                int n;
                while ((n = await Fetcher.ReadWithin(input, buffer, url, cancel)) > 0)
                {
                    sha.TransformBlock(buffer, 0, n, null, 0);
                    await output.WriteAsync(buffer.AsMemory(0, n), cancel);
                    progress?.Report((done += n, total));
                }
            }
            sha.TransformFinalBlock([], 0, 0);
            var hash = Convert.ToHexStringLower(sha.Hash!);
            if (!hash.StartsWith(pinned, StringComparison.Ordinal))
                throw new StoreException($"{name} does not match its pinned hash ({pinned}…, got {hash[..8]}…); refusing it");
            File.Move(temp, target, overwrite: true);
            return target;
        }
        catch (HttpRequestException e)
        {
            throw new StoreException($"cannot download {url}: {e.Message} (offline? pass --url with a reachable copy)", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    [GeneratedRegex(@"-([0-9a-f]{8})\.pth$")]
    private static partial Regex HashPrefix();
}
