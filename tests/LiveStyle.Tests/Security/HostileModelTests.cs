using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Security;

/// <summary>
/// Model files made by an attacker (issue 13): each must end in one clear line, a non-zero exit and no output,
/// and the memory cases must stay under 1 GB of peak resident memory (GNU time reads it from the child).
/// </summary>
public sealed class HostileModelTests : IDisposable
{
    private const long OneGigabyteKb = 1 << 20;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>stylize with the model; nothing may be written, and the process must stay small.</summary>
    private CliRunner.Result Stylize(string model, string expected, bool measure = true)
    {
        var output = _dir["out.jpg"];
        var r = CliRunner.Run(measure ? ["--peak-memory", "stylize", "-m", model, "-i", TestPaths.ContentImage("tubingen.jpg"), "-o", output]
            : ["stylize", "-m", model, "-i", TestPaths.ContentImage("tubingen.jpg"), "-o", output]);
        CliRunner.AssertCleanFailure(r, expected);
        Assert.False(File.Exists(output));
        if (measure) Assert.True(r.PeakKilobytes < OneGigabyteKb, $"peak resident memory {r.PeakKilobytes / 1024} MB");
        return r;
    }

    private string SafeTensors(string name, Dictionary<string, string> metadata, string? tensorsJson = null, byte[]? data = null, string? rawHeader = null)
    {
        var header = rawHeader ?? "{\"__metadata__\":" + JsonSerializer.Serialize(metadata) + (tensorsJson != null ? "," + tensorsJson : "") + "}";
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + (data?.Length ?? 0)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data?.CopyTo(bytes, 8 + json.Length);
        var path = _dir[name];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static Dictionary<string, string> Architecture(string json) => new()
    {
        ["livestyle.format"] = "1", ["livestyle.architecture"] = json, ["livestyle.style"] = "x", ["livestyle.source"] = "x",
    };

    [Theory]
    [InlineData("{\"name\":\"x\",\"residualBlocks\":100000000}", "residualBlocks must be 0 to 64")]
    [InlineData("{\"name\":\"x\",\"residualBlocks\":2000}", "residualBlocks must be 0 to 64")]
    [InlineData("{\"name\":\"x\",\"residualBlocks\":-1}", "residualBlocks must be 0 to 64")]
    [InlineData("{\"name\":\"x\",\"channels\":[32,64,1000000]}", "channels must be three widths")]
    [InlineData("{\"name\":\"x\",\"pixelUnshuffle\":4096}", "pixelUnshuffle must be 1 to 8")]
    public void ArchitectureMetadataIsBoundedBeforeANetworkIsBuilt(string architecture, string expected) =>
        Stylize(SafeTensors("arch.safetensors", Architecture(architecture)), expected);

    [Fact]
    public void UnknownFormatVersionIsRefused()
    {
        var meta = Architecture("{\"name\":\"full\"}");
        meta["livestyle.format"] = "2";
        Stylize(SafeTensors("v2.safetensors", meta), "model format 2", measure: false);
    }

    [Fact]
    public void OverlappingTensorDataIsRefused()
    {
        var tensors = "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}";
        Stylize(SafeTensors("overlap.safetensors", new(), tensors, new byte[24]), "data offsets overlap", measure: false);
    }

    [Theory]
    [InlineData("{\"__metadata__\":[1,2]}", "__metadata__ is not an object")]
    [InlineData("{\"__metadata__\":7}", "__metadata__ is not an object")]
    [InlineData("{\"__metadata__\":{},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "a key appears twice")]
    public void MalformedHeadersAreNamedErrorsNotInternalOnes(string header, string expected)
    {
        var path = SafeTensors("bad.safetensors", new(), data: new byte[4], rawHeader: header);
        var r = Stylize(path, expected, measure: false);
        Assert.Contains(path, r.Stderr);
    }

    [Theory]
    [InlineData("zero_stride.pth", "over the limit of 200,000,000 elements")]
    [InlineData("inflates.pth", "inflates to 3,221,225,472 bytes")]
    [InlineData("huge_count.pth", "over the limit of 200,000,000 elements")]
    [InlineData("none_size.pth", "is None, not an integer")]
    [InlineData("not_a_storage.pth", "is not a tensor storage type")]
    public void HostilePyTorchCheckpointsAreRefusedSmall(string file, string expected)
    {
        var path = Path.Combine(PyTorchFixtures.HostilePth, file);
        var r = Stylize(path, expected);
        Assert.Contains(path, r.Stderr); // the error names the file that was read
    }

    [Fact]
    public void Ml5VariableThatIsALinkIsNotFollowed()
    {
        var folder = _dir.CopyOf(TestPaths.Ml5("wave"), "wave");
        var variable = Path.Combine(folder, "Variable_1");
        File.Delete(variable);
        File.CreateSymbolicLink(variable, "/dev/zero");
        Stylize(folder, "is a symbolic link");
    }

    [Fact]
    public void Ml5ShapeWhoseElementCountOverflowsIsAClearError()
    {
        var folder = _dir.CopyOf(TestPaths.Ml5("wave"), "wave");
        var manifest = Path.Combine(folder, "manifest.json");
        var text = File.ReadAllText(manifest);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        doc["Variable"]!["shape"] = new System.Text.Json.Nodes.JsonArray(4611686018427387904L, 4611686018427387904L, 3, 32);
        File.WriteAllText(manifest, doc.ToJsonString());
        Stylize(folder, "over the limit");
    }

    [Fact]
    public void ErrorsNameTheFileReadNotTheSourceItClaims()
    {
        var meta = Architecture("{\"name\":\"full\"}");
        meta["livestyle.source"] = "/elsewhere/innocent.pth";
        var path = SafeTensors("claims.safetensors", meta);
        var r = Stylize(path, "missing weights", measure: false);
        Assert.Contains(path, r.Stderr);
        Assert.DoesNotContain("/elsewhere", r.Stderr);
    }

    [Fact]
    public void MetadataReachesTheTerminalEscaped()
    {
        var meta = Architecture("{\"name\":\"mobile\",\"channels\":[24,48,96],\"residualBlocks\":4,\"residual\":\"depthwise-separable\",\"upsample\":\"transposed-conv\",\"edgeKernel\":3,\"pixelUnshuffle\":4,\"skipConnections\":true}");
        meta["livestyle.style"] = "evil\u001b]0;pwned\u0007\u001b[2J";
        meta["livestyle.source"] = "x\nlivestyle: forged line";
        var path = SafeTensors("meta.safetensors", meta);
        var r = CliRunner.Run("models", "info", path);
        var all = r.Stdout + r.Stderr;
        Assert.DoesNotContain('\u001b', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.DoesNotContain("\nlivestyle: forged", all);
        Assert.Contains("\\u001b", all);
    }

    [Fact]
    public void AHundredAndTwentyThousandKeysParseAndTheCountIsChecked()
    {
        // Not timed here (docs/BENCHMARKS.md has the figure); a quadratic dictionary would take minutes.
        var path = _dir["many.pth"];
        var script = $"import torch, collections\nd = collections.OrderedDict(('k%d' % i, torch.zeros(1)) for i in range(120000))\ntorch.save(d, '{path}')\n";
        using (var run = Process.Start(new ProcessStartInfo(PyTorchFixtures.Python) { ArgumentList = { "-c", script } })!) run.WaitForExit();
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run("models", "info", path);
        CliRunner.AssertCleanFailure(r, "not a TransformerNet");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"took {clock.Elapsed}");
    }
}
