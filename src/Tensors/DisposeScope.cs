namespace LiveStyle.Tensors;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope and frees them
/// all on Dispose, except those moved out with <see cref="Tensor.MoveToOuterScope"/> or
/// <see cref="Tensor.DetachFromScope"/>. Same idiom as TorchSharp's torch.NewDisposeScope().
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> _owned = new();
    private readonly DisposeScope? _outer;
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = current;
        current = this;
    }

    internal static DisposeScope? Current => current;
    internal DisposeScope? Outer => _outer;

    internal void Adopt(Tensor t)
    {
        t.Owner = this;
        _owned.Add(t);
    }

    public int Count => _owned.Count(t => t.Owner == this && !t.IsDisposed);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _owned)
            if (t.Owner == this) t.Dispose();
        _owned.Clear();
        current = _outer;
    }
}
