using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>Stylizes planar RGB float frames [3, H, W] of one size (0..255 in, unclamped out), allocation-free once warm.</summary>
public interface IPlanarStylizer : IDisposable
{
    void Run(ReadOnlySpan<float> input, Span<float> output);
}

/// <summary>ONNX Runtime: pinned buffers bound to the session once (<see cref="OnnxFrameBinding"/>).</summary>
internal sealed class OnnxPlanarStylizer(OnnxFrameBinding binding) : IPlanarStylizer
{
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        binding.Run(input, output);
        FiniteValues.Check(output);
    }

    public void Dispose() => binding.Dispose();
}

/// <summary>libtorch: one reused input tensor, and the activations' managed wrappers recycled (<see cref="TensorRecycling"/>).</summary>
internal sealed class TorchPlanarStylizer : IPlanarStylizer
{
    private readonly TorchEngine _engine;
    private readonly Tensor _input;

    public TorchPlanarStylizer(TorchEngine engine, int width, int height)
    {
        _engine = engine;
        _input = Torch.Empty([1, 3, height, width]).DetachFromScope();
    }

    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        _input.CopyFrom(input);
        using (Torch.RecycleTensors())
        using (var styled = _engine.Run(_input))
            styled.CopyTo(output);
        FiniteValues.Check(output);
    }

    public void Dispose() => _input.Dispose();
}
