using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveStyle.Files;

namespace LiveStyle.Models.Formats;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// ({name: {dtype, shape, data_offsets}}, plus "__metadata__" of string pairs), then raw data.
/// Every offset and size is checked against the file before any data is touched.
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100 * 1024 * 1024;

    public sealed record Contents(IReadOnlyDictionary<string, HostTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

    public static Contents Read(string path)
    {
        return Parse(ModelLimits.ReadFile(path), path);
    }

    public static Contents Parse(ReadOnlySpan<byte> bytes, string name)
    {
        ModelFormatException Bad(string why) => new($"{name} is not a valid safetensors file: {why}");
        if (bytes.Length < 8) throw Bad("shorter than its 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
            throw Bad($"header length {headerLength} exceeds the file ({bytes.Length} bytes)");
        var data = bytes[(8 + (int)headerLength)..];

        var metadata = new Dictionary<string, string>();
        var tensors = new Dictionary<string, HostTensor>();
        var spans = new List<(long Start, long End, string Name)>();
        try
        {
            var header = JsonNode.Parse(bytes.Slice(8, (int)headerLength).ToArray())?.AsObject() ?? throw Bad("empty header");
            foreach (var (key, node) in header)
            {
                if (key == "__metadata__")
                {
                    foreach (var (mk, mv) in node as JsonObject ?? throw Bad("__metadata__ is not an object"))
                        metadata[mk] = mv?.GetValueKind() == JsonValueKind.String ? mv.GetValue<string>() : throw Bad($"metadata {ModelInfo.Sanitize(mk)} is not a string");
                    continue;
                }
                tensors[key] = ReadEntry(key, node as JsonObject ?? throw Bad($"entry {ModelInfo.Sanitize(key)} is not an object"), data, Bad, spans);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { throw Bad("header is not a JSON object"); }
        catch (ModelFormatException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal)) { throw Bad(e.Message); }
        // JsonObject builds its dictionary on first use, and a key given twice fails there.
        catch (ArgumentException) { throw Bad("a key appears twice in the header"); }

        spans.Sort();
        for (var i = 1; i < spans.Count; i++)
            if (spans[i].Start < spans[i - 1].End)
                throw Bad($"tensors {ModelInfo.Sanitize(spans[i - 1].Name)} and {ModelInfo.Sanitize(spans[i].Name)} share bytes (data offsets overlap)");
        return new Contents(tensors, metadata);
    }

    private static HostTensor ReadEntry(string key, JsonObject entry, ReadOnlySpan<byte> data, Func<string, ModelFormatException> bad, List<(long, long, string)> spans)
    {
        try
        {
            var dtype = entry["dtype"]!.GetValue<string>();
            var shape = entry["shape"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
            var offsets = entry["data_offsets"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
            if (shape.Any(d => d < 0)) throw bad($"{key} has a negative dimension");
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
                throw bad($"{key} has data offsets [{string.Join(", ", offsets)}] outside the {data.Length}-byte data section");
            var count = ModelLimits.CheckElements(shape, key);
            var size = ElementSize(dtype) ?? throw bad($"{ModelInfo.Sanitize(key)} has unsupported dtype {ModelInfo.Sanitize(dtype)}");
            if (offsets[1] > offsets[0]) spans.Add((offsets[0], offsets[1], key));
            if (offsets[1] - offsets[0] != count * size)
                throw bad($"{key} has {offsets[1] - offsets[0]} bytes for shape [{string.Join(", ", shape)}] of {dtype}");
            return new HostTensor(shape, ToFloat(dtype, data.Slice((int)offsets[0], (int)(offsets[1] - offsets[0])), (int)count));
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or OverflowException)
        {
            throw bad($"entry {key} is malformed");
        }
    }

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        "F64" => 8,
        _ => null,
    };

    private static float[] ToFloat(string dtype, ReadOnlySpan<byte> raw, int count)
    {
        var result = new float[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16),
            };
        }
        return result;
    }

    /// <summary>Writes float32 tensors and metadata atomically (temporary name, then rename).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, HostTensor>> tensors, IReadOnlyDictionary<string, string> metadata, bool overwrite = true)
    {
        var list = tensors.ToList();
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) };
        long offset = 0;
        foreach (var (name, t) in list)
        {
            var end = offset + (long)t.Data.Length * 4;
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, end),
            };
            offset = end;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian machine");
            foreach (var (_, t) in list) stream.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
        }, overwrite);
    }
}
