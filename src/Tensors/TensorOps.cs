using static LiveStyle.Tensors.Native.TorchNative;

namespace LiveStyle.Tensors;

// The codes cross the C ABI: native/torch lists the same names in the same order (OpCodes checks both).
public enum UnaryOp { Relu, Tanh, Sigmoid, Neg, Exp, Log, Sqrt, Abs, Square, Round }
public enum BinaryOp { Add, Sub, Mul, Div, MatMul, Maximum, Minimum }
public enum ScalarOp { Add, Mul, Pow, ClampMin, ClampMax, Div, Sub, RSub }

/// <summary>The native side's op tables, for checking that both sides number the ops alike.</summary>
public static class OpCodes
{
    /// <summary>The native names of table 0 (unary), 1 (binary) or 2 (scalar), in code order.</summary>
    public static IReadOnlyList<string> NativeNames(int table)
    {
        var names = new List<string>();
        while (System.Runtime.InteropServices.Marshal.PtrToStringUTF8(lst_op_name(table, names.Count)) is { } name) names.Add(name);
        return names;
    }
}

/// <summary>Element-wise, shape and reduction operations.</summary>
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Own(lst_unary(Handle, (int)op));
    private Tensor Binary(Tensor other, BinaryOp op) => Own(lst_binary(Handle, other.Handle, (int)op));
    private Tensor Scalar(double s, ScalarOp op) => Own(lst_scalar(Handle, s, (int)op));

    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor MatMul(Tensor other) => Binary(other, BinaryOp.MatMul);
    public Tensor Maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    public Tensor Minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
    public Tensor Pow(double exponent) => Scalar(exponent, ScalarOp.Pow);
    public Tensor Clamp(double min, double max)
    {
        using var low = Scalar(min, ScalarOp.ClampMin).DetachFromScope();
        return low.Scalar(max, ScalarOp.ClampMax);
    }

    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Add);
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Sub);
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Div);
    public static Tensor operator -(Tensor a) => a.Unary(UnaryOp.Neg);
    public static Tensor operator +(Tensor a, double s) => a.Scalar(s, ScalarOp.Add);
    public static Tensor operator +(double s, Tensor a) => a.Scalar(s, ScalarOp.Add);
    public static Tensor operator -(Tensor a, double s) => a.Scalar(s, ScalarOp.Sub);
    public static Tensor operator -(double s, Tensor a) => a.Scalar(s, ScalarOp.RSub);
    public static Tensor operator *(Tensor a, double s) => a.Scalar(s, ScalarOp.Mul);
    public static Tensor operator *(double s, Tensor a) => a.Scalar(s, ScalarOp.Mul);
    public static Tensor operator /(Tensor a, double s) => a.Scalar(s, ScalarOp.Div);

    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return Own(lst_reshape(Handle, p, shape.Length));
    }

    public unsafe Tensor Permute(params ReadOnlySpan<long> order)
    {
        fixed (long* p = order) return Own(lst_permute(Handle, p, order.Length));
    }

    public unsafe Tensor Flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* p = dims) return Own(lst_flip(Handle, p, dims.Length));
    }

    public unsafe Tensor IndexSelect(int dim, params ReadOnlySpan<long> index)
    {
        fixed (long* p = index) return Own(lst_index_select(Handle, dim, p, index.Length));
    }

    public Tensor Narrow(int dim, long start, long length) => Own(lst_narrow(Handle, dim, start, length));

    public unsafe Tensor Sum(long[]? dims = null, bool keepDim = false)
    {
        dims ??= [];
        fixed (long* p = dims) return Own(lst_sum(Handle, p, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Mean(long[]? dims = null, bool keepDim = false) => Mean(dims, keepDim, null);

    /// <summary>The mean accumulated and returned in <paramref name="dtype"/> (float32 keeps half-precision inputs exact) or the input's type.</summary>
    public unsafe Tensor Mean(ReadOnlySpan<long> dims, bool keepDim, ScalarType? dtype)
    {
        fixed (long* p = dims) return Own(lst_mean(Handle, p, dims.Length, keepDim ? 1 : 0, dtype is { } t ? (int)t : -1));
    }

    /// <summary>Population variance and mean over <paramref name="dims"/>, in one pass.</summary>
    public (Tensor Variance, Tensor Mean) VarMean(ReadOnlySpan<long> dims, bool keepDim) => Moments(dims, keepDim, asStd: false);

    /// <summary>Population standard deviation and mean over <paramref name="dims"/>, in one pass.</summary>
    public (Tensor Std, Tensor Mean) StdMean(ReadOnlySpan<long> dims, bool keepDim) => Moments(dims, keepDim, asStd: true);

    private unsafe (Tensor, Tensor) Moments(ReadOnlySpan<long> dims, bool keepDim, bool asStd)
    {
        IntPtr spread, mean;
        fixed (long* p = dims) Check(lst_var_mean(Handle, p, dims.Length, keepDim ? 1 : 0, asStd ? 1 : 0, out spread, out mean));
        var s = Own(spread);
        return (s, Own(mean));
    }

    /// <summary>this + value · a · b, broadcasting, in one kernel.</summary>
    public Tensor AddCMul(Tensor a, Tensor b, double value = 1) => Own(lst_addcmul(Handle, a.Handle, b.Handle, value));

    public Tensor Max() => Own(lst_max_all(Handle));

    // In-place updates: for optimizers and buffers, under Torch.NoGrad().
    public Tensor AddInPlace(Tensor other, double alpha = 1) { Check(lst_add_(Handle, other.Handle, alpha)); return this; }
    public Tensor MulInPlace(double s) { Check(lst_mul_scalar_(Handle, s)); return this; }
    public Tensor AddCMulInPlace(Tensor a, Tensor b, double value) { Check(lst_addcmul_(Handle, a.Handle, b.Handle, value)); return this; }
    public Tensor AddCDivInPlace(Tensor a, Tensor b, double value) { Check(lst_addcdiv_(Handle, a.Handle, b.Handle, value)); return this; }
}
