using static LiveStyle.Tensors.Native.TorchNative;

namespace LiveStyle.Tensors;

/// <summary>Tensor creation and runtime settings (the torch.* namespace).</summary>
public static partial class Torch
{
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables autograd on this thread until the returned guard is disposed.</summary>
    public static GradModeGuard NoGrad() => new(false);
    public static GradModeGuard EnableGrad() => new(true);

    /// <summary>Reuses disposed tensors' managed wrappers on this thread until disposed; see <see cref="TensorRecycling"/>.</summary>
    public static TensorRecycling RecycleTensors() => TensorRecycling.Open();

    public static int Threads
    {
        get => (int)Checked(lst_get_num_threads());
        set => Check(lst_set_num_threads(value));
    }

    public static int CudaDeviceCount => lst_cuda_device_count();

    public static void ManualSeed(ulong seed) => Check(lst_manual_seed(seed));

    public static void Synchronize(Device device) => Check(lst_synchronize(device.Index));

    /// <summary>cuDNN times its candidate algorithms at each new input shape and keeps the fastest (torch.backends.cudnn.benchmark).</summary>
    public static void SetCudnnAutotune(bool on) => Check(lst_set_cudnn_benchmark(on ? 1 : 0));

    /// <summary>Throws a clear error when <paramref name="device"/> cannot be used by the loaded libtorch.</summary>
    public static void EnsureAvailable(Device device)
    {
        if (!device.IsCuda) return;
        var count = CudaDeviceCount;
        if (count == 0)
            throw new TorchException("CUDA is not available in the loaded libtorch (Debian's libtorch is CPU-only); " +
                                     "rebuild the native shim against a CUDA libtorch with LIBTORCH=/path/to/libtorch, or use --device cpu");
        if (device.Index >= count)
            throw new TorchException($"{device} does not exist: this machine has {count} CUDA device(s)");
    }

    public static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n != data.Length) throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {n} elements, got {data.Length}");
        fixed (T* p = data)
        fixed (long* s = shape)
            return Tensor.Own(lst_from_host(p, s, shape.Length, (int)ScalarTypes.Of<T>()));
    }

    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged => FromSpan<T>(data, shape);

    public static unsafe Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool pinned = false)
    {
        fixed (long* s = shape) return Tensor.Own(lst_empty(s, shape.Length, (int)dtype, (device ?? Device.Cpu).Index, pinned ? 1 : 0));
    }

    public static unsafe Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        fixed (long* s = shape) return Tensor.Own(lst_full(s, shape.Length, value, (int)dtype, (device ?? Device.Cpu).Index));
    }

    public static Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => Full(shape, 0, dtype, device);
    public static Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    public static unsafe Tensor Rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        fixed (long* s = shape) return Tensor.Own(lst_rand(s, shape.Length, (int)dtype, (device ?? Device.Cpu).Index));
    }

    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, int dim)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        fixed (IntPtr* p = handles) return Tensor.Own(lst_cat(p, handles.Length, dim));
    }
}

/// <summary>Restores the previous autograd mode of this thread on Dispose.</summary>
public readonly struct GradModeGuard : IDisposable
{
    private readonly bool _previous;

    internal GradModeGuard(bool enabled)
    {
        _previous = Checked(lst_is_grad_enabled()) != 0;
        Check(lst_set_grad_enabled(enabled ? 1 : 0));
    }

    public void Dispose() => Check(lst_set_grad_enabled(_previous ? 1 : 0));
}
