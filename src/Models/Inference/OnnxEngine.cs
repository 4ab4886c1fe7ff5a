using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>
/// ONNX Runtime on the CPU in fp32: an <see cref="OnnxNetwork"/> session (LiveStyle's own graphs, or a foreign
/// model run as it is). Frames go through pinned buffers bound to the session once (<see cref="OnnxFrameBinding"/>).
/// </summary>
public sealed class OnnxEngine : IStyleEngine
{
    private readonly OnnxNetwork _network;
    private OnnxFrameBinding? _lastBinding;
    private (int Width, int Height) _lastSize;

    /// <param name="blockedNorms">See <see cref="OnnxNetwork.Create"/>.</param>
    public OnnxEngine(byte[] model, string what, bool blockedNorms = false)
    {
        _network = OnnxNetwork.Create(model, InferenceThreads.Count, what, blockedNorms);
    }

    public Engine Kind => Engine.Onnx;
    public Device Device => Device.Cpu;
    public Precision Precision => Precision.Fp32;

    /// <summary>See <see cref="OnnxNetwork.FusedRuns"/>.</summary>
    internal int FusedRuns => _network.FusedRuns;

    public string? FixedInputSize => _network.IsFixedSize
        ? $"{_network.FixedWidth?.ToString() ?? "any"}x{_network.FixedHeight?.ToString() ?? "any"}"
        : null;

    public long RunPixels(int width, int height) => Math.Max(
        (_network.FixedWidth ?? width) * (_network.FixedHeight ?? height),
        (_network.FixedOutputWidth ?? _network.FixedWidth ?? width) * (_network.FixedOutputHeight ?? _network.FixedHeight ?? height));

    public IPlanarStylizer BindPlanar(int width, int height) => new OnnxPlanarStylizer(_network.Bind(width, height));

    /// <summary>Each image of the batch through a binding kept for the last size seen (training teachers, tests).</summary>
    public Tensor Run(Tensor input)
    {
        StyleModel.CheckImage(input);
        long n = input.Size(0), h = input.Size(2), w = input.Size(3);
        using var host = input.To(Device.Cpu, ScalarType.Float32);
        using var contiguous = host.Contiguous();
        var result = Torch.Empty([n, 3, h, w]);
        try
        {
            var binding = Binding((int)w, (int)h);
            var plane = (int)(3 * h * w);
            var pixels = contiguous.AsSpan<float>();
            var styled = result.AsSpan<float>();
            for (var i = 0; i < n; i++) binding.Run(pixels.Slice(i * plane, plane), styled.Slice(i * plane, plane));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private OnnxFrameBinding Binding(int width, int height)
    {
        if (_lastBinding != null && _lastSize == (width, height)) return _lastBinding;
        _lastBinding?.Dispose();
        _lastBinding = null;
        _lastBinding = _network.Bind(width, height);
        _lastSize = (width, height);
        return _lastBinding;
    }

    public void Dispose()
    {
        _lastBinding?.Dispose();
        _network.Dispose();
    }
}
