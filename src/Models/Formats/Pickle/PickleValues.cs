namespace LiveStyle.Models.Formats.Pickle;

/// <summary>A module-level name a pickle refers to (GLOBAL / STACK_GLOBAL), e.g. collections.OrderedDict.</summary>
public sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python dict (insertion-ordered), as built by EMPTY_DICT/SETITEMS or OrderedDict().</summary>
public sealed class PyDict
{
    private readonly Dictionary<object, int> _positions = new();

    public List<KeyValuePair<object, object?>> Items { get; } = new();

    /// <summary>Constant time per key: a state dict can have hundreds of thousands of them.</summary>
    public void Set(object key, object? value)
    {
        if (_positions.TryGetValue(key, out var i)) Items[i] = KeyValuePair.Create(key, value);
        else
        {
            _positions[key] = Items.Count;
            Items.Add(KeyValuePair.Create(key, value));
        }
    }
}

/// <summary>A tuple: immutable in Python, an array here.</summary>
public sealed record PyTuple(object?[] Items);
