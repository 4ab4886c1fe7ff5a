using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>What runs a style network: ONNX Runtime or libtorch (through native/torch).</summary>
public enum Engine { Auto, Onnx, Torch }

public static class Engines
{
    public static Engine Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Engine.Auto,
        "onnx" or "onnxruntime" or "ort" => Engine.Onnx,
        "torch" or "libtorch" => Engine.Torch,
        _ => throw new ArgumentException($"unknown engine '{text}': use auto, onnx or torch"),
    };

    /// <summary>
    /// auto: ONNX Runtime for fp32 on the CPU (2.7–4.8x faster than libtorch 1.13 there, docs/BENCHMARKS.md);
    /// libtorch for bf16 (ONNX Runtime's CPU kernels have no fast bf16 convolution) and for CUDA (the NuGet
    /// package LiveStyle ships is ONNX Runtime's CPU build).
    /// </summary>
    public static Engine Resolve(this Engine engine, Device device, Precision precision)
    {
        if (engine == Engine.Auto) return !device.IsCuda && precision == Precision.Fp32 ? Engine.Onnx : Engine.Torch;
        if (engine == Engine.Onnx && device.IsCuda)
            throw new ArgumentException("the ONNX Runtime engine here is the CPU build; on CUDA use --engine torch (or auto)");
        if (engine == Engine.Onnx && precision != Precision.Fp32)
            throw new ArgumentException($"the ONNX Runtime engine runs fp32; for {precision.ToString().ToLowerInvariant()} use --engine torch (or auto)");
        return engine;
    }
}
