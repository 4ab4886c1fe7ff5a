namespace LiveStyle.Models.Formats.Pickle;

/// <summary>A module-level name a pickle refers to (GLOBAL / STACK_GLOBAL), e.g. collections.OrderedDict.</summary>
public sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python dict (insertion-ordered), as built by EMPTY_DICT/SETITEMS or OrderedDict().</summary>
public sealed class PyDict
{
    public List<KeyValuePair<object, object?>> Items { get; } = new();

    public void Set(object key, object? value)
    {
        var i = Items.FindIndex(kv => Equals(kv.Key, key));
        if (i >= 0) Items[i] = KeyValuePair.Create(key, value);
        else Items.Add(KeyValuePair.Create(key, value));
    }
}

/// <summary>A tuple: immutable in Python, an array here.</summary>
public sealed record PyTuple(object?[] Items);
