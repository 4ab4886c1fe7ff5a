using LiveStyle.Models.Inference;
using LiveStyle.Tensors;

namespace LiveStyle.Capture.Frames;

/// <summary>
/// Stylizes packed BGR24 frames of one size in place. The planar input buffer, the input tensor and
/// the output buffer are allocated once, and the network's activations reuse their managed wrappers
/// (<see cref="TensorRecycling"/>), so per frame nothing is allocated on the managed heap once warm.
/// </summary>
public sealed class BgrFrameStylizer : IDisposable
{
    private readonly StyleModel _model;
    private readonly int _plane;
    private readonly float[] _planar, _styled;
    private readonly Tensor _input;

    public BgrFrameStylizer(StyleModel model, int width, int height)
    {
        _model = model;
        _plane = width * height;
        _planar = new float[3 * _plane];
        _styled = new float[3 * _plane];
        // Page-locked on CUDA, so the upload can run asynchronously with the host's next conversion.
        _input = Torch.Empty([1, 3, height, width], pinned: model.Device.IsCuda).DetachFromScope();
    }

    /// <summary>0 keeps the original, 1 (the default) is the full style.</summary>
    public float Strength { get; set; } = 1;

    /// <summary>Time the network itself took on the last frame (the rest of Stylize is pixel conversion).</summary>
    public double LastModelMs { get; private set; }

    public void Stylize(Span<byte> bgr)
    {
        int plane = _plane;
        for (var i = 0; i < plane; i++)
        {
            var p = i * 3;
            _planar[i] = bgr[p + 2];
            _planar[plane + i] = bgr[p + 1];
            _planar[2 * plane + i] = bgr[p];
        }
        _input.CopyFrom<float>(_planar);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using (Torch.RecycleTensors())
        using (var output = _model.Stylize(_input))
            output.CopyTo<float>(_styled);
        LastModelMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        float s = Strength, keep = 1 - Strength;
        for (var i = 0; i < plane; i++)
        {
            var p = i * 3;
            bgr[p + 2] = Blend(_styled[i], _planar[i], s, keep);
            bgr[p + 1] = Blend(_styled[plane + i], _planar[plane + i], s, keep);
            bgr[p] = Blend(_styled[2 * plane + i], _planar[2 * plane + i], s, keep);
        }
    }

    private static byte Blend(float styled, float original, float s, float keep) =>
        (byte)Math.Clamp(MathF.Round(styled * s + original * keep), 0f, 255f);

    public void Dispose() => _input.Dispose();
}
