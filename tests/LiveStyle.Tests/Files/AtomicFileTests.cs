using LiveStyle.Files;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Files;

public sealed class AtomicFileTests
{
    [Fact]
    public void AReservedFileAppearsOnlyWhenPublishedAndVanishesOtherwise()
    {
        using var dir = new TempDir();
        var target = dir["out.bin"];
        using (var pending = AtomicFile.Reserve(target))
        {
            Assert.True(File.Exists(pending.TemporaryPath));
            Assert.Equal(Path.GetDirectoryName(Path.GetFullPath(target)), Path.GetDirectoryName(pending.TemporaryPath));
            File.WriteAllBytes(pending.TemporaryPath, [1, 2, 3]);
            Assert.False(File.Exists(target));
        }
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(dir.Path));

        using (var pending = AtomicFile.Reserve(target))
        {
            File.WriteAllBytes(pending.TemporaryPath, [4, 5]);
            pending.Publish();
        }
        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(target));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporary()
    {
        using var dir = new TempDir();
        var target = dir["model.safetensors"];
        File.WriteAllBytes(target, [9]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s =>
        {
            s.Write([1, 2, 3]);
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(target));
        Assert.Single(Directory.GetFiles(dir.Path));

        var refused = Assert.Throws<IOException>(() => AtomicFile.Write(target, s => s.Write([1]), overwrite: false));
        Assert.Contains("already exists", refused.Message);
        var missing = Assert.Throws<IOException>(() => AtomicFile.Reserve(Path.Combine(dir.Path, "no", "such.bin")));
        Assert.Contains("does not exist", missing.Message);
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(target));
    }
}
