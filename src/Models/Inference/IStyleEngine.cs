using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>
/// What runs one style network on one device at one precision: ONNX Runtime (<see cref="OnnxEngine"/>) or
/// libtorch (<see cref="TorchEngine"/>). Batches go through <see cref="Run"/>; frames of one size go through a
/// binding made once (<see cref="BindPlanar"/>), which allocates nothing per frame.
/// </summary>
public interface IStyleEngine : IDisposable
{
    Engine Kind { get; }
    Device Device { get; }
    Precision Precision { get; }

    /// <summary>A foreign ONNX model's fixed input size ("720x720"), to which every frame is resized and back; null for any size.</summary>
    string? FixedInputSize { get; }

    /// <summary>The pixels the network works at for a frame of this size: the frame's own, or a foreign model's fixed input or output, whichever is larger.</summary>
    long RunPixels(int width, int height);

    /// <summary>[N, 3, H, W] RGB 0..255 of any type on any device in; the same shape, float32, on this engine's device out.</summary>
    Tensor Run(Tensor input);

    /// <summary>Planar RGB float frames [3, H, W] of one size, in host memory; only for engines on the CPU.</summary>
    IPlanarStylizer BindPlanar(int width, int height);
}
