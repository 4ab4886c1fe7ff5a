using System.Buffers.Binary;
using System.Text;

namespace LiveStyle.Models.Formats.Tflite;

/// <summary>
/// Reads FlatBuffers tables from untrusted bytes. Every offset, vtable, vector length and string is checked
/// against the buffer before it is followed, so a damaged or hostile file can only produce a
/// <see cref="ModelFormatException"/>; vectors are bounded by a caller's element limit before anything is allocated.
/// </summary>
internal sealed class FlatBufferReader(byte[] bytes, string what)
{
    public byte[] Bytes { get; } = bytes;
    public string What { get; } = what;

    public FlatTable Root(string identifier)
    {
        Need(0, 8, "header");
        if (Encoding.ASCII.GetString(Bytes, 4, 4) != identifier)
            throw Bad($"is not a {identifier} flatbuffer (its identifier is '{ModelInfo.Sanitize(Encoding.Latin1.GetString(Bytes, 4, 4))}')");
        return Table(Indirect(0, "root table"), "root table");
    }

    /// <summary>The table at <paramref name="position"/>, its vtable checked.</summary>
    public FlatTable Table(int position, string name)
    {
        Need(position, 4, name);
        var vtable = (long)position - BinaryPrimitives.ReadInt32LittleEndian(Bytes.AsSpan(position));
        if (vtable < 0 || vtable > Bytes.Length - 4) throw Bad($"{name}: its vtable lies outside the file");
        int vtableBytes = BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan((int)vtable)), tableBytes = BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan((int)vtable + 2));
        if (vtableBytes < 4 || vtableBytes % 2 != 0) throw Bad($"{name}: a vtable of {vtableBytes} bytes");
        Need((int)vtable, vtableBytes, name + "'s vtable");
        if (tableBytes < 4) throw Bad($"{name}: a table of {tableBytes} bytes");
        Need(position, tableBytes, name);
        return new FlatTable(this, position, (int)vtable, vtableBytes, tableBytes, name);
    }

    /// <summary>Follows the unsigned offset stored at <paramref name="at"/>.</summary>
    public int Indirect(int at, string name)
    {
        Need(at, 4, name);
        var target = (long)at + BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(at));
        if (target > Bytes.Length - 4) throw Bad($"{name} points past the end of the file");
        return (int)target;
    }

    /// <summary>A vector's element count and where its first element is, checked to fit in the file and under <paramref name="maxCount"/>.</summary>
    public (int Start, int Count) Vector(int at, int elementBytes, long maxCount, string name)
    {
        var start = Indirect(at, name);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(start));
        if (count > maxCount) throw Bad($"{name} has {count:N0} entries, more than the {maxCount:N0} this reader accepts");
        if ((long)count * elementBytes > Bytes.Length - start - 4L) throw Bad($"{name} ({count:N0} entries) runs past the end of the file");
        return (start + 4, (int)count);
    }

    public void Need(long position, long length, string name)
    {
        if (position < 0 || length < 0 || position + length > Bytes.Length) throw Bad($"{name} lies outside the file");
    }

    public ModelFormatException Bad(string message) => new($"{What}: {message}");
}

/// <summary>One table: scalar fields with their defaults, and references to strings, vectors and other tables.</summary>
internal readonly struct FlatTable(FlatBufferReader reader, int position, int vtable, int vtableBytes, int tableBytes, string name)
{
    public string Name => name;

    /// <summary>The field's position in the file, or -1 when absent; the field's bytes are checked to lie inside the table.</summary>
    private int Field(int index, int size)
    {
        var slot = 4 + 2 * index;
        if (slot + 2 > vtableBytes) return -1;
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(reader.Bytes.AsSpan(vtable + slot));
        if (offset == 0) return -1;
        if (offset + size > tableBytes) throw reader.Bad($"{name}: field {index} lies outside its table");
        return position + offset;
    }

    public bool Has(int index) => Field(index, 1) >= 0;

    public sbyte Int8(int index, sbyte fallback = 0) => Field(index, 1) is var p and >= 0 ? (sbyte)reader.Bytes[p] : fallback;
    public byte UInt8(int index, byte fallback = 0) => Field(index, 1) is var p and >= 0 ? reader.Bytes[p] : fallback;
    public int Int32(int index, int fallback = 0) => Field(index, 4) is var p and >= 0 ? BinaryPrimitives.ReadInt32LittleEndian(reader.Bytes.AsSpan(p)) : fallback;
    public uint UInt32(int index, uint fallback = 0) => Field(index, 4) is var p and >= 0 ? BinaryPrimitives.ReadUInt32LittleEndian(reader.Bytes.AsSpan(p)) : fallback;
    public ulong UInt64(int index, ulong fallback = 0) => Field(index, 8) is var p and >= 0 ? BinaryPrimitives.ReadUInt64LittleEndian(reader.Bytes.AsSpan(p)) : fallback;

    public FlatTable? Table(int index, string what)
    {
        var p = Field(index, 4);
        return p < 0 ? null : reader.Table(reader.Indirect(p, $"{name}.{what}"), $"{name}.{what}");
    }

    public FlatTable[] Tables(int index, long maxCount, string what)
    {
        var p = Field(index, 4);
        if (p < 0) return [];
        var (start, count) = reader.Vector(p, 4, maxCount, $"{name}.{what}");
        var tables = new FlatTable[count];
        for (var i = 0; i < count; i++) tables[i] = reader.Table(reader.Indirect(start + 4 * i, $"{what}[{i}]"), $"{what}[{i}]");
        return tables;
    }

    public int[] Int32s(int index, long maxCount, string what)
    {
        var (start, count) = Raw(index, 4, maxCount, what);
        var values = new int[count];
        for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(reader.Bytes.AsSpan(start + 4 * i));
        return values;
    }

    public long[] Int64s(int index, long maxCount, string what)
    {
        var (start, count) = Raw(index, 8, maxCount, what);
        var values = new long[count];
        for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(reader.Bytes.AsSpan(start + 8 * i));
        return values;
    }

    public float[] Floats(int index, long maxCount, string what)
    {
        var (start, count) = Raw(index, 4, maxCount, what);
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(reader.Bytes.AsSpan(start + 4 * i));
        return values;
    }

    /// <summary>A byte vector as a range of the file (not copied).</summary>
    public (int Start, int Count) Bytes(int index, long maxCount, string what) => Raw(index, 1, maxCount, what);

    public string? String(int index, int maxLength, string what)
    {
        var p = Field(index, 4);
        if (p < 0) return null;
        var (start, count) = reader.Vector(p, 1, int.MaxValue, $"{name}.{what}");
        var text = Encoding.UTF8.GetString(reader.Bytes, start, Math.Min(count, maxLength));
        return count > maxLength ? text + "…" : text;
    }

    private (int Start, int Count) Raw(int index, int elementBytes, long maxCount, string what)
    {
        var p = Field(index, 4);
        return p < 0 ? (0, 0) : reader.Vector(p, elementBytes, maxCount, $"{name}.{what}");
    }
}
