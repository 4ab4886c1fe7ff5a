using System.IO.Compression;
using System.Text;
using LiveStyle.Models.Formats;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Formats;

public class RestrictedUnpicklerTests
{
    /// <summary>pickle protocol 2 for os.system("touch MARKER"): what a malicious checkpoint carries.</summary>
    private static byte[] MaliciousPickle(string marker)
    {
        var cmd = Encoding.ASCII.GetBytes("touch " + marker);
        var bytes = new List<byte> { 0x80, 0x02 };
        bytes.AddRange("cos\nsystem\n"u8.ToArray());
        bytes.Add((byte)'X');
        bytes.AddRange(BitConverter.GetBytes(cmd.Length));
        bytes.AddRange(cmd);
        bytes.AddRange(new byte[] { 0x85, (byte)'R', (byte)'.' });
        return bytes.ToArray();
    }

    [Fact]
    public void RefusesCodeExecutionInLegacyAndZipFiles()
    {
        using var dir = new TempDir();
        var marker = dir["pwned"];
        File.WriteAllBytes(dir["evil.pth"], MaliciousPickle(marker));
        using (var zip = ZipFile.Open(dir["evil_zip.pth"], ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("archive/data.pkl").Open())
            s.Write(MaliciousPickle(marker));

        foreach (var file in new[] { "evil.pth", "evil_zip.pth" })
        {
            var e = Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(dir[file]));
            Assert.Contains("os.system", e.Message);
        }
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void GarbageIsAReadableError()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["junk.pth"], Encoding.ASCII.GetBytes("this is not a checkpoint at all"));
        Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(dir["junk.pth"]));
        File.WriteAllBytes(dir["empty.pth"], []);
        Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(dir["empty.pth"]));
    }

    [Fact]
    public void ProtocolZeroTextIsUnsupportedNotUnsafeWhileObjectConstructionIsUnsafe()
    {
        using var dir = new TempDir();
        // protocol 0: STRING 'hello' then STOP; harmless, but no torch.save writes it
        File.WriteAllBytes(dir["text.pth"], "S'hello'\n."u8.ToArray());
        var text = Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(dir["text.pth"]));
        Assert.Contains("protocol 0 text", text.Message);
        Assert.DoesNotContain("not allowed", text.Message);
        // INST builds an object from a named class: refused as unsafe
        File.WriteAllBytes(dir["inst.pth"], "(ios\nsystem\n."u8.ToArray());
        var inst = Assert.Throws<ModelFormatException>(() => PthFile.ReadStateDict(dir["inst.pth"]));
        Assert.Contains("constructs an object", inst.Message);
    }
}
