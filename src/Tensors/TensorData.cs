using static LiveStyle.Tensors.Native.TorchNative;

namespace LiveStyle.Tensors;

/// <summary>Moving data between tensors and managed memory, and between devices and types.</summary>
public sealed partial class Tensor
{
    /// <summary>Copies the elements (contiguous, row-major) into <paramref name="destination"/>, whose length must match.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>();
        fixed (T* p = destination) Check(lst_to_host(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>Overwrites a contiguous CPU tensor from <paramref name="source"/> without allocating.</summary>
    public unsafe void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        CheckElementType<T>();
        fixed (T* p = source) Check(lst_from_host_into(Handle, p, (long)source.Length * sizeof(T)));
    }

    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[NumElements];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        var v = lst_item(Handle);
        if (double.IsNaN(v) && NumElements != 1) throw new TorchException(LastError());
        return v;
    }

    /// <summary>Direct view of a contiguous CPU tensor's memory; valid while the tensor lives.</summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckElementType<T>();
        var p = lst_data_ptr(Handle);
        if (p == null) throw new InvalidOperationException("only contiguous CPU tensors can be viewed as a span");
        return new Span<T>(p, checked((int)NumElements));
    }

    public Tensor To(Device device, ScalarType dtype, bool nonBlocking = false) =>
        Own(lst_to(Handle, device.Index, (int)dtype, nonBlocking ? 1 : 0));

    public Tensor To(Device device) => To(device, Dtype);
    public Tensor To(ScalarType dtype) => To(Device, dtype);

    public void CopyFrom(Tensor source, bool nonBlocking = false) =>
        Check(lst_copy_(Handle, source.Handle, nonBlocking ? 1 : 0));

    public Tensor Contiguous() => Own(lst_contiguous(Handle));

    /// <summary>The same values with NHWC strides (4-D tensors; torch.channels_last) or plain row-major ones.</summary>
    public Tensor Contiguous(MemoryFormat format) => Own(lst_contiguous_format(Handle, format == MemoryFormat.ChannelsLast ? 1 : 0));
    public Tensor Clone() => Own(lst_clone(Handle));
    public Tensor Detach() => Own(lst_detach(Handle));

    /// <summary>A second handle to the same storage (for holding a tensor in two places with separate lifetimes).</summary>
    public Tensor Alias() => Own(lst_alias(Handle));

    private void CheckElementType<T>() where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        if (Dtype != expected) throw new InvalidOperationException($"tensor holds {Dtype}, not {expected}");
    }
}
