using LiveStyle.Files;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Files;

public sealed class DiskCacheTests
{
    private const long Limit = 1 << 20;

    private static Func<byte[]> Once(byte[] bytes)
    {
        var made = false;
        return () =>
        {
            Assert.False(made, "made a second time: the kept file was not used");
            made = true;
            return bytes;
        };
    }

    [Fact]
    public void WhatWasMadeIsReadBackByANewCacheOverTheSameFolder()
    {
        using var dir = new TempDir();
        var make = Once([1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, new DiskCache(dir["cache"], Limit).GetOrAdd("model-a", "onnx", make));
        Assert.Equal(new byte[] { 1, 2, 3 }, new DiskCache(dir["cache"], Limit).GetOrAdd("model-a", "onnx", make));
        var file = Assert.Single(Directory.GetFiles(dir["cache"]));
        Assert.Matches(@"^model-a\.[0-9a-f]{16}\.onnx$", Path.GetFileName(file));
        Assert.Equal(new byte[] { 9 }, new DiskCache(dir["cache"], Limit).GetOrAdd("model-b", "onnx", () => [9]));
        Assert.Equal(2, Directory.GetFiles(dir["cache"]).Length);
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("over the limit")]
    public void ADamagedFileIsMadeAgainAndReplaced(string damage)
    {
        using var dir = new TempDir();
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        new DiskCache(dir.Path, Limit).GetOrAdd("graph", "onnx", () => bytes);
        var file = Assert.Single(Directory.GetFiles(dir.Path));
        var damaged = damage switch
        {
            "flipped" => bytes.Select((b, i) => i == 500 ? (byte)(b ^ 1) : b).ToArray(),
            "truncated" => bytes[..999],
            "empty" => [],
            _ => new byte[Limit + 1],
        };
        File.WriteAllBytes(file, damaged);
        if (damage == "over the limit") File.Move(file, Path.Combine(dir.Path, $"graph.{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(damaged))[..16]}.onnx"), overwrite: true);

        var remade = 0;
        Assert.Equal(bytes, new DiskCache(dir.Path, Limit).GetOrAdd("graph", "onnx", () => { remade++; return bytes; }));
        Assert.Equal(1, remade);
        Assert.Equal(bytes, File.ReadAllBytes(Assert.Single(Directory.GetFiles(dir.Path))));
    }

    [Fact]
    public void AFolderThatCannotBeWrittenOnlyMeansNothingIsKept()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["plain"], "a file where the cache folder would be");
        var cache = new DiskCache(Path.Combine(dir["plain"], "cache"), Limit);
        var made = 0;
        Assert.Equal(new byte[] { 7 }, cache.GetOrAdd("k", "bin", () => { made++; return [7]; }));
        Assert.Equal(new byte[] { 7 }, cache.GetOrAdd("k", "bin", () => { made++; return [7]; }));
        Assert.Equal(2, made);
    }

    [Fact]
    public void FilesUnusedForLongerThanTheKeepingTimeGoWhenAnotherIsAdded()
    {
        using var dir = new TempDir();
        var cache = new DiskCache(dir.Path, Limit);
        cache.GetOrAdd("old", "bin", () => [1]);
        cache.GetOrAdd("used", "bin", () => [2]);
        foreach (var f in Directory.GetFiles(dir.Path)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow - DiskCache.KeepUnused - TimeSpan.FromDays(1));
        cache.GetOrAdd("used", "bin", Once([2])); // a use renews the file
        cache.GetOrAdd("new", "bin", () => [3]);
        Assert.Equal(["new", "used"], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f).Split('.')[0]).Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a.b")]
    [InlineData("glob*")]
    public void AKeyThatIsNotAPlainNameIsRefused(string key)
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => new DiskCache(dir.Path, Limit).GetOrAdd(key, "bin", () => [1]));
    }
}
