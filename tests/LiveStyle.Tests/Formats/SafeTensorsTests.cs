using System.Buffers.Binary;
using System.Text;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Formats;

public class SafeTensorsTests
{
    private static byte[] File(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        using var dir = new TempDir();
        var info = new ModelInfo(TransformNetConfig.Mobile, "wave", "test", new Dictionary<string, string> { ["epochs"] = "2" });
        var tensors = new Dictionary<string, HostTensor> { ["a"] = new([2, 3], [1, 2, 3, 4, 5, -6.5f]), ["b"] = new([1], [42]) };
        WeightFiles.Save(dir["m.safetensors"], new Weights(info, tensors));

        var read = SafeTensorsFile.Read(dir["m.safetensors"]);
        Assert.Equal(tensors["a"].Data, read.Tensors["a"].Data);
        Assert.Equal(new long[] { 2, 3 }, read.Tensors["a"].Shape);
        var back = ModelInfo.FromMetadata(read.Metadata, "m")!;
        Assert.Equal("wave", back.Style);
        Assert.True(back.Config.Matches(TransformNetConfig.Mobile));
        Assert.Equal("2", back.Training["epochs"]);
        Assert.Equal(0, (System.IO.File.ReadAllBytes(dir["m.safetensors"]).Length - 8) % 4);
    }

    [Fact]
    public void ModelsWrittenBeforeSkipConnectionsKeepTheirNetwork()
    {
        // mobile gained skip connections later; a file whose architecture predates the field must load
        // the network it was trained as, not today's preset of the same name.
        var metadata = new ModelInfo(TransformNetConfig.Mobile, "scream", "test", new Dictionary<string, string>()).ToMetadata();
        Assert.Contains("\"skipConnections\":true", metadata["livestyle.architecture"]);
        metadata["livestyle.architecture"] = metadata["livestyle.architecture"].Replace("\"skipConnections\":true,", "").Replace(",\"skipConnections\":true", "");
        var old = ModelInfo.FromMetadata(metadata, "old.safetensors")!;
        Assert.False(old.Config.SkipConnections);
        Assert.False(old.Config.Matches(TransformNetConfig.Mobile));
        Assert.True(old.Config.Matches(TransformNetConfig.Mobile with { SkipConnections = false }));
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,64]}}", 16, "outside")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,4]}}", 16, "outside")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,16]}}", 16, "bytes for shape")]
    [InlineData("{\"w\":{\"dtype\":\"Q9\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "dtype")]
    [InlineData("not json", 16, "JSON")]
    [InlineData("{\"w\":{\"shape\":[4]}}", 16, "malformed")]
    public void RejectsBadHeaders(string header, int dataBytes, string why)
    {
        var e = Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(File(header, dataBytes), "bad.safetensors"));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void RejectsHeaderLengthBeyondTheFile()
    {
        var bytes = File("{}", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        Assert.Contains("exceeds", Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(bytes, "x")).Message);
        Assert.Throws<ModelFormatException>(() => SafeTensorsFile.Parse(new byte[3], "x"));
    }
}
