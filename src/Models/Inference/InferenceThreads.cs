namespace LiveStyle.Models.Inference;

/// <summary>
/// The CPU threads an engine may use (--threads), held here rather than in either runtime so that choosing
/// it loads neither: ONNX Runtime reads it when a session is made, libtorch when a <see cref="TorchEngine"/> is.
/// </summary>
public static class InferenceThreads
{
    private static int _count = Environment.ProcessorCount;

    public static int Count
    {
        get => _count;
        set => _count = value > 0 ? value : Environment.ProcessorCount;
    }
}
