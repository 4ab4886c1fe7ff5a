using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

public enum Precision { Fp32, Bf16, Fp16 }

public static class Precisions
{
    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Fp32,
        "bf16" or "bfloat16" => Precision.Bf16,
        "fp16" or "float16" or "half" => Precision.Fp16,
        _ => throw new ArgumentException($"unknown precision '{text}': use fp32, bf16 or fp16"),
    };

    public static ScalarType ScalarType(this Precision p) => p switch
    {
        Precision.Bf16 => Tensors.ScalarType.BFloat16,
        Precision.Fp16 => Tensors.ScalarType.Float16,
        _ => Tensors.ScalarType.Float32,
    };

    /// <summary>fp16 convolutions exist only on CUDA in libtorch; on a CPU the reduced-precision choice is bf16.</summary>
    public static void Validate(this Precision p, Device device)
    {
        if (p == Precision.Fp16 && !device.IsCuda)
            throw new ArgumentException("fp16 runs on CUDA only; on the CPU use --precision bf16 (or fp32)");
    }
}
