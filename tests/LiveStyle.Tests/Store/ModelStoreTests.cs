using System.Net;
using System.Net.Sockets;
using LiveStyle.Models.Store;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Store;

/// <summary>Pulling over real HTTP on loopback, from a server that serves a folder laid out like the upstream repository.</summary>
public sealed class ModelStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Serves a folder's files over loopback HTTP and counts the requests.</summary>
    private sealed class FolderServer : IDisposable
    {
        private readonly LoopbackServer _server;

        public FolderServer(string root) => _server = new LoopbackServer(async ctx =>
        {
            var path = Path.Combine(root, ctx.Request.Url!.AbsolutePath.TrimStart('/'));
            Interlocked.Increment(ref Requests);
            if (File.Exists(path)) await ctx.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(path));
            else ctx.Response.StatusCode = 404;
        });

        public int Requests;
        public string BaseUrl => _server.BaseUrl;

        public void Dispose() => _server.Dispose();
    }

    [Fact]
    public async Task PullsOverHttpAndVerifiesEveryFile()
    {
        using var server = new FolderServer(TestPaths.ModelsMirror);
        var store = new ModelStore(_dir["cache"], server.BaseUrl, StyleCatalog.Embedded);
        await store.PullAsync("scream");
        Assert.True(store.IsCached("scream"));
        var expected = StyleCatalog.Embedded.Require("scream").Files;
        Assert.Equal(expected.Count, Directory.GetFiles(store.PathOf("scream")).Length);
        Assert.Equal(expected.Count, server.Requests);
        Assert.Empty(Directory.GetDirectories(_dir["cache"], ".*"));
    }

    [Fact]
    public async Task TamperedFileIsRefusedAndNothingIsCached()
    {
        var mirror = _dir["mirror"];
        _dir.CopyOf(TestPaths.Ml5("wave"), "mirror/ml5/wave");
        var victim = Path.Combine(mirror, "ml5", "wave", "Variable_20");
        var bytes = File.ReadAllBytes(victim);
        bytes[17] ^= 0x40;
        File.WriteAllBytes(victim, bytes);

        using var server = new FolderServer(mirror);
        var store = new ModelStore(_dir["cache"], server.BaseUrl, StyleCatalog.Embedded);
        var e = await Assert.ThrowsAsync<StoreException>(() => store.PullAsync("wave"));
        Assert.Contains("Variable_20", e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.False(store.IsCached("wave"));
        Assert.Empty(Directory.GetDirectories(_dir["cache"]));
    }

    [Fact]
    public async Task MissingFileOnTheServerIsAClearError()
    {
        Directory.CreateDirectory(_dir["emptymirror"]);
        using var server = new FolderServer(_dir["emptymirror"]);
        var store = new ModelStore(_dir["cache"], server.BaseUrl, StyleCatalog.Embedded);
        var e = await Assert.ThrowsAsync<StoreException>(() => store.PullAsync("wave"));
        Assert.Contains("404", e.Message);
        Assert.False(store.IsCached("wave"));
    }

    [Fact]
    public async Task ResolverPullsNamesAndPassesPathsThrough()
    {
        var store = new ModelStore(_dir["cache"], "file://" + TestPaths.ModelsMirror, StyleCatalog.Embedded);
        Assert.Equal(TestPaths.Ml5("wave"), await ModelResolver.ResolveAsync(TestPaths.Ml5("wave"), store));
        Assert.Equal(store.PathOf("la_muse"), await ModelResolver.ResolveAsync("la_muse", store));
        await Assert.ThrowsAsync<StoreException>(() => ModelResolver.ResolveAsync("nope", store));
    }
}

/// <summary>`models pull-vgg` over loopback HTTP: a file whose name carries its hash prefix, as torchvision's do.</summary>
public sealed class VggDownloadTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DownloadsAndChecksTheHashInTheName()
    {
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 13)).ToArray();
        var prefix = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))[..8];
        Directory.CreateDirectory(_dir["served"]);
        File.WriteAllBytes(_dir[$"served/vggtiny-{prefix}.pth"], content);
        File.WriteAllBytes(_dir["served/vggbad-00000000.pth"], content);
        var port = Background.FreePort();
        using var server = new System.Diagnostics.Process();
        server.StartInfo = new System.Diagnostics.ProcessStartInfo("python3", ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--directory", _dir["served"]])
            { RedirectStandardError = true, RedirectStandardOutput = true };
        server.Start();
        try
        {
            Background.WaitForServer($"http://127.0.0.1:{port}/vggbad-00000000.pth", TimeSpan.FromSeconds(20));
            var env = new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"] };
            var ok = CliRunner.Run(env, "models", "pull-vgg", "--url", $"http://127.0.0.1:{port}/vggtiny-{prefix}.pth");
            Assert.True(ok.ExitCode == 0, ok.Stderr);
            Assert.Equal(content, File.ReadAllBytes(_dir[$"cache/vgg/vggtiny-{prefix}.pth"]));
            CliRunner.AssertCleanFailure(CliRunner.Run(env, "models", "pull-vgg", "--url", $"http://127.0.0.1:{port}/vggbad-00000000.pth"), "does not match");
            Assert.False(File.Exists(_dir["cache/vgg/vggbad-00000000.pth"]));
            Assert.Empty(Directory.GetFiles(_dir["cache/vgg"], "*.partial"));
        }
        finally
        {
            server.Kill();
        }
    }
}
