using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>
/// <see cref="BlockedNormKernel"/> as an ONNX Runtime custom operator (<c>ai.livestyle.BlockedNorm</c>), written in C#
/// against the runtime's C API: the operator's description is a C struct of function pointers to the static callbacks
/// below. Nothing thrown crosses into the runtime: every callback catches and answers with a failed status, which the
/// session's Run reports as an error. The description and its domain live as long as the process (sessions keep
/// pointers to them), made once on first use.
/// </summary>
internal static unsafe class BlockedNormOperator
{
    public const string Domain = "ai.livestyle", Name = "BlockedNorm";

    /// <summary>Inputs: the blocked tensor, the norm's scale and shift (optional), the residual (optional, blocked and padded).</summary>
    private const int Inputs = 4;

    /// <summary>OrtCustomOp's version: the first with CreateKernelV2 and KernelComputeV2, whose failures are statuses.</summary>
    private const uint OpVersion = 16;

    private static readonly Lazy<IntPtr> Registered = new(Register);

    /// <summary>Lets sessions made with these options run the operator.</summary>
    public static void AddTo(SessionOptions options) => OrtCApi.AddCustomOpDomain(options.DangerousGetHandle(), Registered.Value);

    private static IntPtr Register()
    {
        var op = (OrtCustomOp*)NativeMemory.AllocZeroed((nuint)sizeof(OrtCustomOp));
        op->Version = OpVersion;
        op->GetName = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr>)&GetName;
        op->GetExecutionProviderType = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr>)&GetExecutionProviderType;
        op->GetInputType = (IntPtr)(delegate* unmanaged<IntPtr, nuint, int>)&GetFloatType;
        op->GetInputTypeCount = (IntPtr)(delegate* unmanaged<IntPtr, nuint>)&GetInputTypeCount;
        op->GetOutputType = (IntPtr)(delegate* unmanaged<IntPtr, nuint, int>)&GetFloatType;
        op->GetOutputTypeCount = (IntPtr)(delegate* unmanaged<IntPtr, nuint>)&GetOutputTypeCount;
        op->KernelDestroy = (IntPtr)(delegate* unmanaged<IntPtr, void>)&KernelDestroy;
        op->GetInputCharacteristic = (IntPtr)(delegate* unmanaged<IntPtr, nuint, int>)&GetInputCharacteristic;
        op->GetOutputCharacteristic = (IntPtr)(delegate* unmanaged<IntPtr, nuint, int>)&GetOutputCharacteristic;
        op->GetInputMemoryType = (IntPtr)(delegate* unmanaged<IntPtr, nuint, int>)&GetInputMemoryType;
        op->CreateKernelV2 = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr*, IntPtr>)&CreateKernel;
        op->KernelComputeV2 = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, IntPtr>)&Compute;
        var domain = OrtCApi.CreateCustomOpDomain(Domain);
        OrtCApi.CustomOpDomainAdd(domain, (IntPtr)op);
        return domain;
    }

    private static readonly IntPtr NameText = Marshal.StringToCoTaskMemUTF8(Name);

    [UnmanagedCallersOnly]
    private static IntPtr GetName(IntPtr op) => NameText;

    /// <summary>None: the CPU provider.</summary>
    [UnmanagedCallersOnly]
    private static IntPtr GetExecutionProviderType(IntPtr op) => IntPtr.Zero;

    /// <summary>ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT.</summary>
    [UnmanagedCallersOnly]
    private static int GetFloatType(IntPtr op, nuint index) => 1;

    [UnmanagedCallersOnly]
    private static nuint GetInputTypeCount(IntPtr op) => Inputs;

    [UnmanagedCallersOnly]
    private static nuint GetOutputTypeCount(IntPtr op) => 1;

    /// <summary>INPUT_OUTPUT_REQUIRED for the tensor, INPUT_OUTPUT_OPTIONAL for the rest.</summary>
    [UnmanagedCallersOnly]
    private static int GetInputCharacteristic(IntPtr op, nuint index) => index == 0 ? 0 : 1;

    [UnmanagedCallersOnly]
    private static int GetOutputCharacteristic(IntPtr op, nuint index) => 0;

    /// <summary>OrtMemTypeDefault.</summary>
    [UnmanagedCallersOnly]
    private static int GetInputMemoryType(IntPtr op, nuint index) => 0;

    [UnmanagedCallersOnly]
    private static IntPtr CreateKernel(IntPtr op, IntPtr api, IntPtr info, IntPtr* kernel)
    {
        try
        {
            bool Flag(string name) => OrtCApi.AttributeInt(info, name) != 0;
            int Int(string name) => checked((int)OrtCApi.AttributeInt(info, name));
            var spec = new BlockedNormSpec(Int("block"), Int("channels"), Flag("norm"), OrtCApi.AttributeFloat(info, "epsilon"), Flag("residual"),
                Flag("relu"), Int("shuffle"), [Int("pad_top"), Int("pad_left"), Int("pad_bottom"), Int("pad_right")], Flag("edge"),
                Flag("blocked_output"), [Int("residual_top"), Int("residual_left")], OrtCApi.AttributeFloat(info, "sigmoid_scale"), Flag("phase_offsets"),
                Flag("phase_output"));
            if (spec.Problem() is { } problem) return OrtCApi.FailStatus($"{Name}: {problem}");
            *kernel = GCHandle.ToIntPtr(GCHandle.Alloc(new BlockedNormKernel(spec)));
            return IntPtr.Zero;
        }
        catch (Exception e) { return OrtCApi.FailStatus($"{Name}: {e.Message}"); }
    }

    [UnmanagedCallersOnly]
    private static void KernelDestroy(IntPtr kernel)
    {
        if (kernel != IntPtr.Zero) GCHandle.FromIntPtr(kernel).Free();
    }

    [UnmanagedCallersOnly]
    private static IntPtr Compute(IntPtr handle, IntPtr context)
    {
        try
        {
            var kernel = (BlockedNormKernel)GCHandle.FromIntPtr(handle).Target!;
            lock (kernel)
            {
                Run(kernel, handle, context);
                return IntPtr.Zero;
            }
        }
        catch (Exception e) { return OrtCApi.FailStatus($"{Name}: {e.Message}"); }
    }

    private static void Run(BlockedNormKernel kernel, IntPtr handle, IntPtr context)
    {
        var spec = kernel.Spec;
        Span<long> input = stackalloc long[8], residual = stackalloc long[8], result = stackalloc long[4];
        var x = OrtCApi.Input(context, 0);
        if (OrtCApi.Dimensions(x, input) != 4) throw new InvalidDataException("an input of rank other than 4");
        float* scale = null, bias = null, r = null;
        if (spec.Norm)
        {
            scale = Vector(context, 1, spec.Channels);
            bias = Vector(context, 2, spec.Channels);
        }
        if (spec.Residual)
        {
            var value = OrtCApi.Input(context, 3);
            if (value == IntPtr.Zero || OrtCApi.Dimensions(value, residual) != 4) throw new InvalidDataException("no residual of rank 4");
            r = OrtCApi.Data(value);
        }
        kernel.OutputDims(input[..4], result);
        var output = OrtCApi.Output(context, 0, result);
        kernel.Begin(input[..4], OrtCApi.Data(x), scale, bias, residual[..4], r, OrtCApi.Data(output));
        kernel.Failure = null;
        if (kernel.StatisticsItems > 0) OrtCApi.ParallelFor(context, &StatisticsStep, kernel.StatisticsItems, handle);
        if (kernel.Failure is { } failed) throw failed;
        kernel.Factors();
        OrtCApi.ParallelFor(context, &ResultStep, kernel.ResultItems, handle);
        if (kernel.Failure is { } failure) throw failure;
    }

    private static float* Vector(IntPtr context, int index, int length)
    {
        Span<long> dims = stackalloc long[8];
        var value = OrtCApi.Input(context, index);
        if (value == IntPtr.Zero || OrtCApi.Dimensions(value, dims) != 1 || dims[0] != length)
            throw new InvalidDataException($"input {index} is not a vector of {length}");
        return OrtCApi.Data(value);
    }

    [UnmanagedCallersOnly]
    private static void StatisticsStep(IntPtr handle, nuint item) => Step(handle, item, statistics: true);

    [UnmanagedCallersOnly]
    private static void ResultStep(IntPtr handle, nuint item) => Step(handle, item, statistics: false);

    private static void Step(IntPtr handle, nuint item, bool statistics)
    {
        if (GCHandle.FromIntPtr(handle).Target is not BlockedNormKernel kernel) return;
        try
        {
            if (statistics) kernel.Statistics((long)item);
            else kernel.Result((long)item);
        }
        catch (Exception e) { Interlocked.CompareExchange(ref kernel.Failure, e, null); }
    }

    /// <summary>OrtCustomOp in onnxruntime_c_api.h, field for field; fields after KernelComputeV2 are read only from version 17 on and stay zero.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OrtCustomOp
    {
        public uint Version;
        public IntPtr CreateKernel, GetName, GetExecutionProviderType, GetInputType, GetInputTypeCount, GetOutputType, GetOutputTypeCount,
            KernelCompute, KernelDestroy, GetInputCharacteristic, GetOutputCharacteristic, GetInputMemoryType, GetVariadicInputMinArity,
            GetVariadicInputHomogeneity, GetVariadicOutputMinArity, GetVariadicOutputHomogeneity, CreateKernelV2, KernelComputeV2,
            InferOutputShapeFn, GetStartVersion, GetEndVersion, GetMayInplace, ReleaseMayInplace, GetAliasMap, ReleaseAliasMap;
    }
}
