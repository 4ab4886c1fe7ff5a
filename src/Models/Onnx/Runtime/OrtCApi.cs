using System.Runtime.InteropServices;

namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>
/// The few functions of ONNX Runtime's C API that a custom operator needs and its C# package does not expose, called
/// through the runtime's own function table (<c>OrtApi</c> in onnxruntime_c_api.h: a struct of function pointers that
/// only ever grows at the end, so an index holds from the version that added it on). The library is the one the C#
/// package loads. Every call that returns an <c>OrtStatus*</c> is checked: a failure becomes an <see cref="OrtCallException"/>.
/// </summary>
internal static unsafe class OrtCApi
{
    /// <summary>The oldest table with every function used here (KernelContext_ParallelFor came in 1.17).</summary>
    private const uint Version = 17;

    private const int CreateStatusIndex = 0, GetErrorMessageIndex = 2, CreateCustomOpDomainIndex = 26, CustomOpDomainAddIndex = 27,
        AddCustomOpDomainIndex = 28, GetTensorMutableDataIndex = 51, GetDimensionsCountIndex = 61, GetDimensionsIndex = 62,
        GetTensorTypeAndShapeIndex = 65, KernelInfoGetAttributeFloatIndex = 85, KernelInfoGetAttributeInt64Index = 86,
        KernelContextGetInputIndex = 90, KernelContextGetOutputIndex = 91, ReleaseStatusIndex = 93,
        ReleaseTensorTypeAndShapeInfoIndex = 99, KernelContextParallelForIndex = 274;

    /// <summary>ORT_FAIL in OrtErrorCode.</summary>
    private const int Fail = 1;

    [DllImport("onnxruntime", EntryPoint = "OrtGetApiBase")]
    private static extern IntPtr OrtGetApiBase();

    private static readonly IntPtr* Table = GetTable();

    private static IntPtr* GetTable()
    {
        // OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var getApi = (delegate* unmanaged<uint, IntPtr*>)Marshal.ReadIntPtr(OrtGetApiBase());
        var table = getApi(Version);
        return table != null ? table : throw new OrtCallException($"this ONNX Runtime does not offer version {Version} of its C API");
    }

    private static IntPtr Fn(int index) => Table[index];

    /// <summary>A status for ONNX Runtime to report as the operator's failure (it takes ownership).</summary>
    public static IntPtr FailStatus(string message)
    {
        var text = Marshal.StringToCoTaskMemUTF8(message);
        try { return ((delegate* unmanaged<int, IntPtr, IntPtr>)Fn(CreateStatusIndex))(Fail, text); }
        finally { Marshal.FreeCoTaskMem(text); }
    }

    private static void Check(IntPtr status)
    {
        if (status == IntPtr.Zero) return;
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)Fn(GetErrorMessageIndex))(status)) ?? "unknown error";
        ((delegate* unmanaged<IntPtr, void>)Fn(ReleaseStatusIndex))(status);
        throw new OrtCallException(message);
    }

    public static IntPtr CreateCustomOpDomain(string domain)
    {
        var text = Marshal.StringToCoTaskMemUTF8(domain);
        try
        {
            IntPtr result;
            Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Fn(CreateCustomOpDomainIndex))(text, &result));
            return result;
        }
        finally { Marshal.FreeCoTaskMem(text); }
    }

    public static void CustomOpDomainAdd(IntPtr domain, IntPtr op) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Fn(CustomOpDomainAddIndex))(domain, op));

    public static void AddCustomOpDomain(IntPtr sessionOptions, IntPtr domain) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Fn(AddCustomOpDomainIndex))(sessionOptions, domain));

    public static long AttributeInt(IntPtr kernelInfo, string name) => Attribute<long>(KernelInfoGetAttributeInt64Index, kernelInfo, name);

    public static float AttributeFloat(IntPtr kernelInfo, string name) => Attribute<float>(KernelInfoGetAttributeFloatIndex, kernelInfo, name);

    private static T Attribute<T>(int index, IntPtr kernelInfo, string name) where T : unmanaged
    {
        var text = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            T value;
            Check(((delegate* unmanaged<IntPtr, IntPtr, T*, IntPtr>)Fn(index))(kernelInfo, text, &value));
            return value;
        }
        finally { Marshal.FreeCoTaskMem(text); }
    }

    /// <summary>The kernel's input <paramref name="index"/>, or zero where the node leaves an optional input out.</summary>
    public static IntPtr Input(IntPtr context, int index)
    {
        IntPtr value;
        Check(((delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)Fn(KernelContextGetInputIndex))(context, (nuint)index, &value));
        return value;
    }

    /// <summary>The kernel's output <paramref name="index"/>, allocated by ONNX Runtime with these dimensions.</summary>
    public static IntPtr Output(IntPtr context, int index, ReadOnlySpan<long> dims)
    {
        IntPtr value;
        fixed (long* d = dims)
            Check(((delegate* unmanaged<IntPtr, nuint, long*, nuint, IntPtr*, IntPtr>)Fn(KernelContextGetOutputIndex))(context, (nuint)index, d, (nuint)dims.Length, &value));
        return value;
    }

    /// <summary>A tensor's dimensions into <paramref name="dims"/>; returns how many (at most dims.Length, else it fails).</summary>
    public static int Dimensions(IntPtr value, Span<long> dims)
    {
        IntPtr info;
        Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Fn(GetTensorTypeAndShapeIndex))(value, &info));
        try
        {
            nuint count;
            Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Fn(GetDimensionsCountIndex))(info, &count));
            if (count > (nuint)dims.Length) throw new OrtCallException($"a tensor of rank {count} where at most {dims.Length} is expected");
            fixed (long* d = dims)
                Check(((delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)Fn(GetDimensionsIndex))(info, d, count));
            return (int)count;
        }
        finally { ((delegate* unmanaged<IntPtr, void>)Fn(ReleaseTensorTypeAndShapeInfoIndex))(info); }
    }

    public static float* Data(IntPtr value)
    {
        void* data;
        Check(((delegate* unmanaged<IntPtr, void**, IntPtr>)Fn(GetTensorMutableDataIndex))(value, &data));
        return (float*)data;
    }

    /// <summary>Calls <paramref name="body"/>(state, i) for i in [0, total) on the session's own intra-op threads.</summary>
    public static void ParallelFor(IntPtr context, delegate* unmanaged<IntPtr, nuint, void> body, long total, IntPtr state) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, nuint, nuint, IntPtr, IntPtr>)Fn(KernelContextParallelForIndex))(context, (IntPtr)body, (nuint)total, 0, state));
}

/// <summary>ONNX Runtime's C API answered a call with a failure.</summary>
internal sealed class OrtCallException(string message) : Exception(message);
