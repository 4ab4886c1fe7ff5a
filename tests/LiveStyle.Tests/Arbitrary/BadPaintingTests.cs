using System.Buffers.Binary;
using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Arbitrary;

/// <summary>
/// Paintings and network files as a careless user or an attacker would hand them over: each is one clear line,
/// a non-zero exit, and nothing written.
/// </summary>
public sealed class BadPaintingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env => new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };

    public static TheoryData<string, string> Bad => new()
    {
        { "truncated", "truncated" },
        { "one-pixel", "cannot be a style" },
        { "sliver", "cannot be a style" },
        { "bomb", "over the limit" },
        { "not-an-image", "painting.jpg" },
        { "missing", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void ABadPaintingIsOneLineAndNothingWritten(string kind, string expected)
    {
        var painting = Make(kind);
        ImageCodec.Write(_dir["photo.png"], TestImages.Photo(96, 64));
        var r = CliRunner.Run(Env, "stylize", "-m", painting, "-i", _dir["photo.png"], "-o", _dir["out.png"]);
        CliRunner.AssertCleanFailure(r, expected);
        Assert.False(File.Exists(_dir["out.png"]));
    }

    private string Make(string kind)
    {
        switch (kind)
        {
            case "truncated":
                var jpeg = ImageCodec.Encode(Paintings.Procedural(1), ".jpg");
                File.WriteAllBytes(_dir["cut.jpg"], jpeg[..(jpeg.Length / 2)]);
                return _dir["cut.jpg"];
            case "one-pixel":
                ImageCodec.Write(_dir["dot.png"], new Image(1, 1, 3));
                return _dir["dot.png"];
            case "sliver":
                ImageCodec.Write(_dir["sliver.png"], new Image(20000, 20, 3));
                return _dir["sliver.png"];
            case "bomb":
                return HostileImages.GiantPng(_dir["bomb.png"]);
            case "not-an-image":
                File.WriteAllText(_dir["painting.jpg"], "a shopping list, not a painting\n");
                return _dir["painting.jpg"];
            default:
                return _dir["nowhere.png"];
        }
    }

    [Fact]
    public void AReplacedNetworkInTheCacheIsRefusedByItsHash()
    {
        var cached = Path.Combine(_dir["cache"], "magenta", "arbitrary");
        Directory.CreateDirectory(cached);
        foreach (var f in Directory.GetFiles(Paintings.MagentaMirror)) File.Copy(f, Path.Combine(cached, Path.GetFileName(f)));
        var transfer = Path.Combine(cached, "transfer.tflite");
        var bytes = File.ReadAllBytes(transfer);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(transfer, bytes);
        ImageCodec.Write(_dir["strokes.png"], Paintings.Procedural(2));
        ImageCodec.Write(_dir["photo.png"], TestImages.Photo(96, 64));
        var r = CliRunner.Run(Env, "stylize", "-m", _dir["strokes.png"], "-i", _dir["photo.png"], "-o", _dir["out.png"]);
        CliRunner.AssertCleanFailure(r, "does not match its pinned SHA-256");
        Assert.False(File.Exists(_dir["out.png"]));
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "root-offset", "points past the end" },
        { "vector-length", "entries, more than the" },
        { "cut-short", "past the end" },
        { "zero-points", "quantization scales but" },
        { "missing-tensor", "names tensor" },
        { "unknown-layout", "not a TensorFlow Lite network LiveStyle knows" },
    };

    /// <summary>The transformer's file damaged where its reader must look: every damage is found before anything of its size is made.</summary>
    [Theory]
    [MemberData(nameof(Corruptions))]
    public void ADamagedTfliteFileIsOneLine(string corruption, string expected)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Paintings.MagentaMirror, "transfer.tflite"));
        var file = new FlatFile(bytes);
        var model = file.Root;
        var graph = file.Table(file.Vector(model, 2).Start);
        var tensors = file.Vector(graph, 0);
        switch (corruption)
        {
            case "root-offset":
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x7FFF_FFF0);
                break;
            case "vector-length":
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(tensors.Start - 4), 0x0FFF_FFFF);
                break;
            case "cut-short":
                bytes = bytes[..(bytes.Length / 3)];
                break;
            case "zero-points":
                // The first tensor quantized per channel: one zero point fewer than it has scales.
                var quantized = Enumerable.Range(0, tensors.Count).Select(i => file.Table(tensors.Start + 4 * i))
                    .Select(t => file.Field(t, 4)).Where(q => q > 0).Select(file.Table)
                    .First(q => file.Field(q, 2) > 0 && file.Vector(q, 2).Count > 1);
                var zeroPoints = file.Vector(quantized, 3);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(zeroPoints.Start - 4), (uint)(zeroPoints.Count - 1));
                break;
            case "missing-tensor":
                var firstOperator = file.Table(file.Vector(graph, 3).Start);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(file.Vector(firstOperator, 1).Start), 99_999);
                break;
            case "unknown-layout":
                // One convolution's stride changed: a network of another shape.
                var codes = file.Vector(model, 1);
                var conv = Enumerable.Range(0, codes.Count).First(i => file.Int8(file.Table(codes.Start + 4 * i), 0) == 3);
                var operators = file.Vector(graph, 3);
                var op = Enumerable.Range(0, operators.Count).Select(i => file.Table(operators.Start + 4 * i))
                    .First(o => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(file.Field(o, 0))) == conv);
                var options = file.Table(file.Field(op, 4));
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(file.Field(options, 1)), 3);
                break;
        }
        File.WriteAllBytes(_dir["damaged.tflite"], bytes);
        CliRunner.AssertCleanFailure(CliRunner.Run(Env, "models", "info", _dir["damaged.tflite"]), expected);
    }

    /// <summary>Just enough of FlatBuffers to find the bytes to damage (positions of fields, tables and vectors).</summary>
    private sealed class FlatFile(byte[] bytes)
    {
        public int Root => (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes);

        /// <summary>The absolute position of a table's field, 0 when absent.</summary>
        public int Field(int table, int index)
        {
            var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table));
            var size = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable));
            if (4 + 2 * index >= size) return 0;
            var offset = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + 4 + 2 * index));
            return offset == 0 ? 0 : table + offset;
        }

        /// <summary>The table an offset field points to.</summary>
        public int Table(int field) => field + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(field));

        public (int Start, int Count) Vector(int table, int index)
        {
            var vector = Table(Field(table, index));
            return (vector + 4, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(vector)));
        }

        public sbyte Int8(int table, int index) => Field(table, index) is var f and > 0 ? (sbyte)bytes[f] : (sbyte)0;
    }
}
