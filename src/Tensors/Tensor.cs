using LiveStyle.Tensors.Native;
using static LiveStyle.Tensors.Native.TorchNative;

namespace LiveStyle.Tensors;

/// <summary>
/// Owns one native at::Tensor handle. Dispose it, or create it inside a <see cref="DisposeScope"/>;
/// the finalizer is only a safety net.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private IntPtr _handle;

    private Tensor(IntPtr handle) => _handle = handle;

    /// <summary>Takes ownership of a handle the native library just returned (zero means it failed).</summary>
    internal static Tensor Own(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw new TorchException(LastError());
        Tensor tensor;
        if (TensorRecycling.Take() is { } recycled)
        {
            tensor = recycled;
            tensor._handle = handle;
            tensor.Owner = null;
            GC.ReRegisterForFinalize(tensor);
        }
        else tensor = new Tensor(handle);
        DisposeScope.Current?.Adopt(tensor);
        return tensor;
    }

    internal DisposeScope? Owner { get; set; }

    public bool IsDisposed => _handle == IntPtr.Zero;

    internal IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Tensor));

    public int Dim => (int)Checked(lst_ndim(Handle));
    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var rank = Dim;
        var d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) throw new ArgumentOutOfRangeException(nameof(dim), $"dimension {dim} of a {rank}-D tensor");
        return Checked(lst_size(Handle, d));
    }

    public long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            for (var i = 0; i < shape.Length; i++) shape[i] = Checked(lst_size(Handle, i));
            return shape;
        }
    }

    public long NumElements
    {
        get
        {
            long n = 1;
            for (var i = 0; i < Dim; i++) n *= Checked(lst_size(Handle, i));
            return n;
        }
    }

    public ScalarType Dtype => (ScalarType)Checked(lst_dtype(Handle));
    public Device Device => lst_device(Handle) is var index and >= -1 ? new(index) : throw new TorchException(LastError());

    /// <summary>Keeps this tensor alive past the current scope by handing it to the enclosing one (or to no scope).</summary>
    public Tensor MoveToOuterScope()
    {
        var outer = Owner?.Outer;
        Owner = null;
        outer?.Adopt(this);
        return this;
    }

    /// <summary>Takes this tensor out of every scope; the caller now owns it.</summary>
    public Tensor DetachFromScope()
    {
        Owner = null;
        return this;
    }

    /// <summary>Replaces this tensor's storage handle with <paramref name="other"/>'s, which is consumed.</summary>
    public void Assign(Tensor other)
    {
        var h = other.Handle;
        other._handle = IntPtr.Zero;
        other.Owner = null;
        GC.SuppressFinalize(other);
        lst_free(Handle);
        _handle = h;
    }

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        lst_free(_handle);
        _handle = IntPtr.Zero;
        GC.SuppressFinalize(this);
        TensorRecycling.Keep(this);
    }

    ~Tensor()
    {
        if (_handle != IntPtr.Zero) lst_free(_handle);
    }

    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor([{string.Join(", ", Shape)}], {Dtype}, {Device})";
}
