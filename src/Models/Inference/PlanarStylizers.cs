using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>Stylizes planar RGB float frames [3, H, W] of one size (0..255 in, unclamped out), allocation-free once warm.</summary>
public interface IPlanarStylizer : IDisposable
{
    void Run(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// The engine's own input and output planes when it reads and writes frames in place (no copy in or out), for
    /// <see cref="RunInPlace"/>; null when frames must go through <see cref="Run"/>.
    /// </summary>
    PlanarBuffers? InPlace => null;

    /// <summary>Runs on <see cref="InPlace"/>'s input into its output.</summary>
    void RunInPlace() => throw new NotSupportedException("this engine does not run frames in place");
}

/// <summary>Planes [3, H, W] an engine reads its input from and writes its output to.</summary>
public sealed record PlanarBuffers(float[] Input, float[] Output);

/// <summary>ONNX Runtime: pinned buffers bound to the session once (<see cref="OnnxFrameBinding"/>).</summary>
internal sealed class OnnxPlanarStylizer(OnnxFrameBinding binding) : IPlanarStylizer
{
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        binding.Run(input, output);
        FiniteValues.Check(output);
    }

    public PlanarBuffers? InPlace { get; } = binding.InPlace is var (input, output) ? new PlanarBuffers(input, output) : null;

    public void RunInPlace()
    {
        binding.RunInPlace();
        FiniteValues.Check(InPlace!.Output);
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
