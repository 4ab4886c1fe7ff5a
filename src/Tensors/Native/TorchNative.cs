using System.Runtime.InteropServices;

namespace LiveStyle.Tensors.Native;

/// <summary>P/Invoke declarations for native/torch/livestyle_torch.cpp. Handles are owned by <see cref="Tensor"/>.</summary>
internal static unsafe class TorchNative
{
    private const string Lib = "livestyle_torch";

    [DllImport(Lib)] public static extern IntPtr lst_last_error();
    [DllImport(Lib)] public static extern int lst_set_num_threads(int n);
    [DllImport(Lib)] public static extern int lst_get_num_threads();
    [DllImport(Lib)] public static extern int lst_cuda_device_count();
    [DllImport(Lib)] public static extern int lst_manual_seed(ulong seed);
    [DllImport(Lib)] public static extern int lst_set_grad_enabled(int enabled);
    [DllImport(Lib)] public static extern int lst_is_grad_enabled();
    [DllImport(Lib)] public static extern int lst_synchronize(int device);
    [DllImport(Lib)] public static extern int lst_set_cudnn_benchmark(int on);

    [DllImport(Lib)] public static extern void lst_free(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr lst_from_host(void* data, long* shape, int ndim, int dtype);
    [DllImport(Lib)] public static extern IntPtr lst_empty(long* shape, int ndim, int dtype, int device, int pinned);
    [DllImport(Lib)] public static extern IntPtr lst_full(long* shape, int ndim, double value, int dtype, int device);
    [DllImport(Lib)] public static extern IntPtr lst_rand(long* shape, int ndim, int dtype, int device);
    [DllImport(Lib)] public static extern int lst_to_host(IntPtr t, void* dst, long nbytes);
    [DllImport(Lib)] public static extern int lst_from_host_into(IntPtr t, void* src, long nbytes);
    [DllImport(Lib)] public static extern void* lst_data_ptr(IntPtr t);
    [DllImport(Lib)] public static extern int lst_ndim(IntPtr t);
    [DllImport(Lib)] public static extern long lst_size(IntPtr t, int dim);
    [DllImport(Lib)] public static extern int lst_dtype(IntPtr t);
    [DllImport(Lib)] public static extern int lst_device(IntPtr t);
    [DllImport(Lib)] public static extern double lst_item(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr lst_dtype_name(int code);
    [DllImport(Lib)] public static extern long lst_dtype_size(int code);
    [DllImport(Lib)] public static extern IntPtr lst_to(IntPtr t, int device, int dtype, int nonBlocking);
    [DllImport(Lib)] public static extern int lst_copy_(IntPtr dst, IntPtr src, int nonBlocking);
    [DllImport(Lib)] public static extern IntPtr lst_contiguous(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr lst_contiguous_format(IntPtr t, int channelsLast);
    [DllImport(Lib)] public static extern IntPtr lst_clone(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr lst_detach(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr lst_alias(IntPtr t);

    [DllImport(Lib)] public static extern int lst_set_requires_grad(IntPtr t, int on);
    [DllImport(Lib)] public static extern int lst_requires_grad(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr lst_grad(IntPtr t);
    [DllImport(Lib)] public static extern int lst_zero_grad(IntPtr t);
    [DllImport(Lib)] public static extern int lst_backward(IntPtr t);

    [DllImport(Lib)] public static extern IntPtr lst_reshape(IntPtr t, long* shape, int n);
    [DllImport(Lib)] public static extern IntPtr lst_permute(IntPtr t, long* order, int n);
    [DllImport(Lib)] public static extern IntPtr lst_narrow(IntPtr t, int dim, long start, long length);
    [DllImport(Lib)] public static extern IntPtr lst_cat(IntPtr* ts, int n, int dim);
    [DllImport(Lib)] public static extern IntPtr lst_index_select(IntPtr t, int dim, long* index, int n);
    [DllImport(Lib)] public static extern IntPtr lst_pixel_shuffle(IntPtr t, long factor);
    [DllImport(Lib)] public static extern IntPtr lst_pixel_unshuffle(IntPtr t, long factor);
    [DllImport(Lib)] public static extern IntPtr lst_flip(IntPtr t, long* dims, int n);

    [DllImport(Lib)] public static extern IntPtr lst_op_name(int table, int code);
    [DllImport(Lib)] public static extern IntPtr lst_unary(IntPtr t, int op);
    [DllImport(Lib)] public static extern IntPtr lst_binary(IntPtr a, IntPtr b, int op);
    [DllImport(Lib)] public static extern IntPtr lst_scalar(IntPtr t, double s, int op);
    [DllImport(Lib)] public static extern int lst_add_(IntPtr t, IntPtr other, double alpha);
    [DllImport(Lib)] public static extern int lst_mul_scalar_(IntPtr t, double s);
    [DllImport(Lib)] public static extern int lst_addcmul_(IntPtr t, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] public static extern IntPtr lst_addcmul(IntPtr t, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] public static extern int lst_addcdiv_(IntPtr t, IntPtr a, IntPtr b, double value);

    [DllImport(Lib)] public static extern IntPtr lst_sum(IntPtr t, long* dims, int n, int keepdim);
    [DllImport(Lib)] public static extern IntPtr lst_mean(IntPtr t, long* dims, int n, int keepdim, int dtype);
    [DllImport(Lib)] public static extern int lst_var_mean(IntPtr t, long* dims, int n, int keepdim, int asStd, out IntPtr spread, out IntPtr mean);
    [DllImport(Lib)] public static extern IntPtr lst_max_all(IntPtr t);

    [DllImport(Lib)] public static extern IntPtr lst_conv2d(IntPtr x, IntPtr w, IntPtr b, long stride, long padH, long padW, long groups);
    [DllImport(Lib)] public static extern IntPtr lst_conv_transpose2d(IntPtr x, IntPtr w, IntPtr b, long stride, long pad, long outputPad, long groups);
    [DllImport(Lib)] public static extern IntPtr lst_instance_norm(IntPtr x, IntPtr weight, IntPtr bias, double eps);
    [DllImport(Lib)] public static extern IntPtr lst_pad2d(IntPtr x, long left, long right, long top, long bottom, int mode);
    [DllImport(Lib)] public static extern IntPtr lst_upsample_nearest2d(IntPtr x, long outH, long outW);
    [DllImport(Lib)] public static extern IntPtr lst_upsample_bilinear2d(IntPtr x, long outH, long outW, int alignCorners);
    [DllImport(Lib)] public static extern IntPtr lst_avg_pool2d(IntPtr x, long kernel, long stride);
    [DllImport(Lib)] public static extern IntPtr lst_max_pool2d(IntPtr x, long kernel, long stride);
    [DllImport(Lib)] public static extern IntPtr lst_mse_loss(IntPtr a, IntPtr b);

    public static string LastError() => Marshal.PtrToStringUTF8(lst_last_error()) ?? "unknown libtorch error";

    public static void Check(int status)
    {
        if (status != 0) throw new TorchException(LastError());
    }

    /// <summary>A getter's value, or its error when the shim returned the failure value (negative).</summary>
    public static long Checked(long value) => value >= 0 ? value : throw new TorchException(LastError());
}
