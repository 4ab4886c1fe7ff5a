using System.Buffers.Binary;
using System.Text;

namespace LiveStyle.Models.Formats.Pickle;

/// <summary>
/// A pickle reader that builds plain data and calls nothing: like PyTorch's weights_only loader,
/// GLOBAL names are checked against an allow-list, and REDUCE/BUILD/persistent ids are handed to
/// the caller's callbacks, which only ever construct data. Anything else is refused with
/// <see cref="UnsafePickleException"/> before it could run.
/// </summary>
public sealed class RestrictedUnpickler
{
    private readonly byte[] _data;
    private int _pos;
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();
    private readonly IReadOnlySet<string> _allowedGlobals;
    private readonly Func<PyGlobal, PyTuple, object?> _reduce;
    private readonly Func<object?, object?> _persistentLoad;

    public RestrictedUnpickler(byte[] data, int offset, IReadOnlySet<string> allowedGlobals,
        Func<PyGlobal, PyTuple, object?> reduce, Func<object?, object?> persistentLoad)
    {
        _data = data;
        _pos = offset;
        _allowedGlobals = allowedGlobals;
        _reduce = reduce;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Where the next pickle starts (legacy .pth files hold several in a row).</summary>
    public int Position => _pos;

    public object? Load()
    {
        _stack.Clear();
        _marks.Clear();
        _memo.Clear();
        while (true)
        {
            var op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                                   // PROTO
                case 0x95: Read(8); break;                                      // FRAME
                case (byte)'.': return Pop();                                   // STOP
                case (byte)'(': _marks.Push(_stack.Count); break;               // MARK
                case (byte)'0': Pop(); break;                                   // POP
                case (byte)'1': PopMark(); break;                               // POP_MARK
                case (byte)'2': Push(Peek()); break;                            // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4))); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2))); break;
                case 0x8a: Push(ReadLong(ReadByte())); break;                   // LONG1
                case 0x8b: Push(ReadLong(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Read(4))))); break; // LONG4
                case (byte)'I': Push(ParseIntLine(ReadLine())); break;
                case (byte)'L': Push(long.Parse(ReadLine().TrimEnd('L'))); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Read(8))); break;
                case (byte)'X': Push(Encoding.UTF8.GetString(Read(ReadLength4()))); break;
                case 0x8c: Push(Encoding.UTF8.GetString(Read(ReadByte()))); break;
                case 0x8d: Push(Encoding.UTF8.GetString(Read(checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Read(8)))))); break;
                case (byte)'T': Push(Encoding.Latin1.GetString(Read(ReadLength4()))); break;
                case (byte)'U': Push(Encoding.Latin1.GetString(Read(ReadByte()))); break;
                case (byte)'B': Push(Read(ReadLength4()).ToArray()); break;
                case (byte)'C': Push(Read(ReadByte()).ToArray()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'l': Push(new List<object?>(PopMark())); break;
                case (byte)'a': { var v = Pop(); AsList(Peek()).Add(v); break; }
                case (byte)'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; }
                case (byte)')': Push(new PyTuple([])); break;
                case (byte)'t': Push(new PyTuple(PopMark())); break;
                case 0x85: Push(new PyTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PyTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PyTuple([a, b, c])); break; }
                case (byte)'}': Push(new PyDict()); break;
                case (byte)'d': { var d = new PyDict(); SetItems(d, PopMark()); Push(d); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); AsDict(Peek()).Set(Key(k), v); break; }
                case (byte)'u': { var items = PopMark(); SetItems(AsDict(Peek()), items); break; }
                case (byte)'c': Push(Global(ReadLine(), ReadLine())); break;
                case 0x93: { var name = Pop() as string; var module = Pop() as string; Push(Global(module!, name!)); break; }
                case (byte)'R': { var args = Pop() as PyTuple ?? throw Malformed("REDUCE without an argument tuple"); Push(_reduce(AsGlobal(Pop()), args)); break; }
                case 0x81: throw new UnsafePickleException("the file constructs an object with NEWOBJ; a state dict never does");
                case (byte)'b': Build(Pop()); break;
                case (byte)'Q': Push(_persistentLoad(Pop())); break;
                case (byte)'h': Push(Get(ReadByte())); break;
                case (byte)'j': Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)))); break;
                case (byte)'g': Push(Get(long.Parse(ReadLine()))); break;
                case (byte)'q': _memo[ReadByte()] = Peek(); break;
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Read(4))] = Peek(); break;
                case (byte)'p': _memo[long.Parse(ReadLine())] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break;                  // MEMOIZE
                case (byte)'i' or (byte)'o' or 0x92: // INST, OBJ, NEWOBJ_EX construct arbitrary objects
                    throw new UnsafePickleException($"pickle opcode 0x{op:x2} constructs an object; it is not allowed in a weights file");
                case (byte)'P' or (byte)'S' or (byte)'V' or (byte)'F': // protocol 0's text forms: harmless, but torch.save never writes them
                    throw new FormatException($"pickle opcode 0x{op:x2} ('{(char)op}') is protocol 0 text, which LiveStyle does not read; save the weights again with torch.save");
                default:
                    throw Malformed($"unknown pickle opcode 0x{op:x2} at byte {_pos - 1}");
            }
        }
    }

    private object Global(string module, string name)
    {
        var g = new PyGlobal(module, name);
        if (!_allowedGlobals.Contains(g.ToString()))
            throw new UnsafePickleException($"the file refers to '{g}', which a weights file has no use for; refusing to load it (it could run code)");
        return g;
    }

    private void Build(object? state)
    {
        // BUILD on a state dict sets attributes such as _metadata: data only, and not needed here.
        if (Peek() is not PyDict) throw new UnsafePickleException("BUILD on something other than a dict is not allowed in a weights file");
        _ = state;
    }

    private static void SetItems(PyDict d, object?[] items)
    {
        if (items.Length % 2 != 0) throw new FormatException("odd number of dict items");
        for (var i = 0; i < items.Length; i += 2) d.Set(Key(items[i]), items[i + 1]);
    }

    private static object Key(object? k) => k ?? throw new FormatException("None as a dict key");

    private object? Get(long index) => _memo.TryGetValue(index, out var v) ? v : throw Malformed($"memo {index} read before it was written");

    private static List<object?> AsList(object? o) => o as List<object?> ?? throw new FormatException("APPEND to something that is not a list");
    private static PyDict AsDict(object? o) => o as PyDict ?? throw new FormatException("SETITEM on something that is not a dict");
    private static PyGlobal AsGlobal(object? o) => o as PyGlobal ?? throw new UnsafePickleException("REDUCE on something that is not an allowed global");

    private void Push(object? o) => _stack.Add(o);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count <= _marks.Peek())) throw Malformed("stack underflow");
        var o = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Malformed("stack underflow");

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw Malformed("no MARK");
        var mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private byte ReadByte() => _pos < _data.Length ? _data[_pos++] : throw Malformed("the pickle ends early (truncated file?)");

    private ReadOnlySpan<byte> Read(int n)
    {
        if (n < 0 || _pos + (long)n > _data.Length) throw Malformed("the pickle ends early (truncated file?)");
        var span = _data.AsSpan(_pos, n);
        _pos += n;
        return span;
    }

    private int ReadLength4() => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Read(4)));

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Malformed("the pickle ends early (truncated file?)");
        var s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private static object ParseIntLine(string s) => s switch { "00" => false, "01" => true, _ => long.Parse(s) };

    private object ReadLong(int n)
    {
        var bytes = Read(n);
        if (n > 8) return new System.Numerics.BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        long v = 0;
        for (var i = n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
        if (n > 0 && n < 8 && (bytes[n - 1] & 0x80) != 0) v -= 1L << (8 * n);
        return v;
    }

    private static FormatException Malformed(string why) => new($"malformed pickle: {why}");
}

/// <summary>The pickle asks for something a plain weights file never needs (and that could run code).</summary>
public sealed class UnsafePickleException(string message) : Exception(message);
