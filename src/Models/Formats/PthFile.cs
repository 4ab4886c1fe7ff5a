using System.Buffers.Binary;
using System.IO.Compression;
using LiveStyle.Models.Formats.Pickle;

namespace LiveStyle.Models.Formats;

/// <summary>
/// PyTorch state dicts saved with torch.save: the zip format (PyTorch 1.6 and later; archive/data.pkl
/// plus one file per storage) and the legacy format (a row of pickles followed by raw storages).
/// Read through <see cref="RestrictedUnpickler"/>, so a checkpoint that would run code is refused.
/// </summary>
public static class PthFile
{
    private static readonly Dictionary<string, (int Size, Func<ReadOnlySpan<byte>, float> Read)> StorageTypes = new()
    {
        ["FloatStorage"] = (4, b => BinaryPrimitives.ReadSingleLittleEndian(b)),
        ["DoubleStorage"] = (8, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)),
        ["HalfStorage"] = (2, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b)),
        ["BFloat16Storage"] = (2, b => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16)),
        ["LongStorage"] = (8, b => BinaryPrimitives.ReadInt64LittleEndian(b)),
        ["IntStorage"] = (4, b => BinaryPrimitives.ReadInt32LittleEndian(b)),
        ["ShortStorage"] = (2, b => BinaryPrimitives.ReadInt16LittleEndian(b)),
        ["ByteStorage"] = (1, b => b[0]),
        ["CharStorage"] = (1, b => (sbyte)b[0]),
        ["BoolStorage"] = (1, b => b[0] != 0 ? 1 : 0),
    };

    private static readonly HashSet<string> AllowedGlobals =
    [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        .. StorageTypes.Keys.Select(k => "torch." + k),
    ];

    private sealed class Storage(string type, string key, long count)
    {
        public string Type { get; } = type;
        public string Key { get; } = key;
        public long Count { get; } = count;
        public float[]? Data { get; set; }
    }

    private sealed record TensorRef(Storage Storage, long Offset, long[] Size, long[] Stride);

    public static bool LooksLikeZip(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[..4].SequenceEqual("PK\x03\x04"u8);

    /// <summary>Reads the file and drops the deprecated InstanceNorm running_mean/var keys old checkpoints carry.</summary>
    public static Dictionary<string, HostTensor> ReadStateDict(string path)
    {
        var bytes = ModelLimits.ReadFile(path);
        try
        {
            var (root, storages) = LooksLikeZip(bytes) ? ReadZip(bytes) : ReadLegacy(bytes);
            return ToStateDict(root, storages, path);
        }
        catch (UnsafePickleException e) { throw new ModelFormatException($"{path}: {e.Message}", e); }
        catch (ModelFormatException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal)) { throw new ModelFormatException($"{path}: {e.Message}", e); }
        catch (Exception e) when (e is FormatException or InvalidDataException or InvalidCastException or OverflowException or EndOfStreamException
                                      or IndexOutOfRangeException or ArgumentException or NullReferenceException or KeyNotFoundException)
        {
            throw new ModelFormatException($"{path} is not a readable PyTorch checkpoint ({e.Message}); is the file complete?", e);
        }
    }

    private static (object? Root, List<Storage> Storages) ReadZip(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var pickleEntry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
                          ?? throw new FormatException("no data.pkl in the archive");
        var prefix = pickleEntry.FullName[..^"data.pkl".Length];
        var storages = new List<Storage>();
        var root = Unpickle(ReadEntry(pickleEntry), 0, storages, out _);
        foreach (var s in storages)
        {
            var entry = zip.GetEntry($"{prefix}data/{s.Key}") ?? throw new FormatException($"storage {s.Key} is missing from the archive");
            s.Data = Decode(s, ReadEntry(entry, s.Count * StorageTypes[s.Type].Size));
        }
        return (root, storages);
    }

    /// <summary>
    /// An entry's bytes, never more than <paramref name="expected"/> (a storage's size, or the model size
    /// limit for the pickle): a zip entry can declare or inflate to gigabytes from a few kilobytes.
    /// </summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, long expected = -1)
    {
        var limit = expected >= 0 ? expected : ModelLimits.MaxFileBytes;
        if (entry.Length > limit)
            throw new FormatException($"archive entry {entry.FullName} inflates to {entry.Length:N0} bytes, more than the {limit:N0} it should hold");
        using var stream = entry.Open();
        var result = new byte[entry.Length];
        stream.ReadExactly(result);
        if (stream.ReadByte() != -1) throw new FormatException($"archive entry {entry.FullName} inflates to more than it declares");
        return result;
    }

    private static (object? Root, List<Storage> Storages) ReadLegacy(byte[] bytes)
    {
        var storages = new List<Storage>();
        var pos = 0;
        var magic = Unpickle(bytes, pos, storages, out pos);
        if (magic is not System.Numerics.BigInteger m || m != System.Numerics.BigInteger.Parse("119547037146038801333356"))
            throw new FormatException("neither a zip archive nor a legacy torch.save file (magic number missing)");
        var version = Unpickle(bytes, pos, storages, out pos);
        if (version is not 1001L) throw new FormatException($"unsupported legacy protocol version {version}");
        Unpickle(bytes, pos, storages, out pos); // sys_info: byte order and type sizes
        var root = Unpickle(bytes, pos, storages, out pos);
        var keys = Unpickle(bytes, pos, storages, out pos) as List<object?> ?? throw new FormatException("storage key list missing");
        var byKey = storages.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var key in keys.Cast<string>())
        {
            if (pos + 8 > bytes.Length) throw new FormatException("the file ends before its tensor data");
            var count = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(pos));
            pos += 8;
            ModelLimits.CheckElements([count], $"storage {key}");
            if (!byKey.TryGetValue(key, out var users)) throw new FormatException($"storage {key} is not referenced");
            var size = (long)StorageTypes[users[0].Type].Size * count;
            if (count < 0 || pos + size > bytes.Length) throw new FormatException("the file ends before its tensor data");
            var data = Decode(users[0], bytes.AsSpan(pos, (int)size));
            foreach (var u in users) u.Data = data;
            pos += (int)size;
        }
        return (root, storages);
    }

    private static object? Unpickle(byte[] bytes, int offset, List<Storage> storages, out int end)
    {
        var unpickler = new RestrictedUnpickler(bytes, offset, AllowedGlobals, Reduce, pid => Persistent(pid, storages));
        var result = unpickler.Load();
        end = unpickler.Position;
        return result;
    }

    private static object? Persistent(object? pid, List<Storage> storages)
    {
        if (pid is not PyTuple { Items: ["storage", PyGlobal type, string key, _, long count, ..] } t || t.Items.Length < 5)
            throw new FormatException("unexpected persistent id");
        if (!StorageTypes.ContainsKey(type.Name)) throw new FormatException($"{type} is not a tensor storage type");
        ModelLimits.CheckElements([count], $"storage {key}");
        var storage = new Storage(type.Name, key, count);
        storages.Add(storage);
        return storage;
    }

    private static object? Reduce(PyGlobal callable, PyTuple args) => callable.ToString() switch
    {
        "collections.OrderedDict" when args.Items.Length == 0 => new PyDict(),
        "torch._utils._rebuild_tensor_v2" when args.Items is [Storage s, long offset, PyTuple size, PyTuple stride, ..] =>
            new TensorRef(s, offset, Longs(size), Longs(stride)),
        "torch._utils._rebuild_parameter" when args.Items is [TensorRef data, ..] => data,
        _ => throw new UnsafePickleException($"'{callable}' called with unexpected arguments"),
    };

    private static long[] Longs(PyTuple t) =>
        t.Items.Select(o => o as long? ?? throw new FormatException($"a tensor size or stride is {Describe(o)}, not an integer")).ToArray();

    private static float[] Decode(Storage s, ReadOnlySpan<byte> raw)
    {
        var (size, read) = StorageTypes[s.Type];
        if (raw.Length != s.Count * size) throw new FormatException($"storage {s.Key} holds {raw.Length} bytes, expected {s.Count * size}");
        var result = new float[s.Count];
        for (var i = 0; i < result.Length; i++) result[i] = read(raw.Slice(i * size, size));
        return result;
    }

    private static Dictionary<string, HostTensor> ToStateDict(object? root, List<Storage> storages, string path)
    {
        if (root is not PyDict dict)
            throw new ModelFormatException($"{path} does not hold a state dict (found {Describe(root)}); save model.state_dict(), not the model");
        var result = new Dictionary<string, HostTensor>();
        long total = 0;
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorRef t)
                throw new ModelFormatException($"{path} is not a state dict: entry {ModelInfo.Sanitize(key?.ToString() ?? "null")} is {Describe(value)}, not a tensor");
            if (DeprecatedNormStatistic(name)) continue;
            // Views may repeat a few bytes of storage many times over: the elements of all tensors together are bounded too.
            total += ModelLimits.CheckElements(t.Size, ModelInfo.Sanitize(name));
            if (total > ModelLimits.MaxTensorElements)
                throw new ModelFormatException($"{path}: its tensors hold more than {ModelLimits.MaxTensorElements:N0} elements together, over the limit (set {ModelLimits.ElementsVariable} to raise it)");
            result[name] = Materialise(t, ModelInfo.Sanitize(name));
        }
        return result;
    }

    /// <summary>Old PyTorch (before 0.4) saved running statistics for InstanceNorm; pytorch/examples deletes them too.</summary>
    public static bool DeprecatedNormStatistic(string key) =>
        System.Text.RegularExpressions.Regex.IsMatch(key, @"in\d+\.running_(mean|var)$");

    /// <summary>
    /// Copies a tensor's elements out of its storage. Size, stride and offset are checked first: the element
    /// count against the limit, and the lowest and highest element read against the storage's bounds, so a
    /// view that repeats a tiny storage (a zero stride) cannot become gigabytes.
    /// </summary>
    private static HostTensor Materialise(TensorRef t, string name)
    {
        var data = t.Storage.Data ?? throw new FormatException($"{name}: storage data missing");
        if (t.Size.Length != t.Stride.Length) throw new FormatException($"{name} has {t.Size.Length} sizes but {t.Stride.Length} strides");
        var count = ModelLimits.CheckElements(t.Size, name);
        if (count > 0)
        {
            long low = t.Offset, high = t.Offset;
            for (var d = 0; d < t.Size.Length; d++)
            {
                var reach = checked((t.Size[d] - 1) * t.Stride[d]);
                if (reach < 0) low = checked(low + reach); else high = checked(high + reach);
            }
            if (low < 0 || high >= data.Length) throw new FormatException($"{name} reads outside its storage");
        }
        var result = new float[count];
        var index = new long[t.Size.Length];
        for (long n = 0; n < count; n++)
        {
            var src = t.Offset;
            for (var d = 0; d < index.Length; d++) src += index[d] * t.Stride[d];
            if (src < 0 || src >= data.Length) throw new FormatException($"{name} reads outside its storage");
            result[n] = data[src];
            for (var d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < t.Size[d]) break;
                index[d] = 0;
            }
        }
        return new HostTensor(t.Size, result);
    }

    private static string Describe(object? o) => o switch
    {
        null => "None",
        PyDict => "a dict",
        List<object?> => "a list",
        PyTuple => "a tuple",
        string => "a string",
        _ => o.GetType().Name,
    };
}
