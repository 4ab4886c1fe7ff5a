namespace LiveStyle.Tensors;

/// <summary>Element types; the numeric values are the shim's codes.</summary>
public enum ScalarType
{
    Float32 = 0,
    Float64 = 1,
    Float16 = 2,
    BFloat16 = 3,
    UInt8 = 4,
    Int64 = 5,
    Int32 = 6,
    Bool = 7,
}

public static class ScalarTypes
{
    /// <summary>libtorch's name and element size for this type's code, for checking that both sides of the C ABI number the types alike.</summary>
    public static (string? Name, long Size) Native(this ScalarType t) =>
        (System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LiveStyle.Tensors.Native.TorchNative.lst_dtype_name((int)t)), LiveStyle.Tensors.Native.TorchNative.lst_dtype_size((int)t));

    public static int ElementSize(this ScalarType t) => t switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.UInt8 or ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static ScalarType Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => ScalarType.Float32,
        var t when t == typeof(double) => ScalarType.Float64,
        var t when t == typeof(Half) => ScalarType.Float16,
        var t when t == typeof(byte) => ScalarType.UInt8,
        var t when t == typeof(long) => ScalarType.Int64,
        var t when t == typeof(int) => ScalarType.Int32,
        var t when t == typeof(bool) => ScalarType.Bool,
        _ => throw new NotSupportedException($"no tensor element type for {typeof(T).Name}"),
    };
}
