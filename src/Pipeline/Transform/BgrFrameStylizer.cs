using LiveStyle.Models.Inference;

namespace LiveStyle.Pipeline.Transform;

/// <summary>
/// Stylizes packed BGR24 frames of one size in place. The planar buffers are allocated once and the
/// model's engine runs on them through an <see cref="IPlanarStylizer"/>, so per frame nothing is allocated
/// on the managed heap once warm. On CUDA the conversion moves to the device (<see cref="DeviceFrameStylizer"/>).
/// </summary>
public sealed class BgrFrameStylizer : IDisposable
{
    private readonly int _plane;
    private readonly float[] _planar, _styled;
    private readonly IPlanarStylizer? _network;
    private readonly DeviceFrameStylizer? _device;

    /// <param name="convertOnDevice">Convert pixels with tensor operations on the model's device (default: on CUDA).</param>
    public BgrFrameStylizer(StyleModel model, int width, int height, bool? convertOnDevice = null)
    {
        StyleMemory.Check(model, width, height);
        _plane = width * height;
        if (convertOnDevice ?? model.Device.IsCuda)
        {
            if (model.Engine is not TorchEngine torch) throw new ArgumentException("converting frames on the device needs the libtorch engine");
            _device = new DeviceFrameStylizer(torch, width, height);
            _planar = _styled = [];
            return;
        }
        _planar = new float[3 * _plane];
        _styled = new float[3 * _plane];
        _network = model.Engine.BindPlanar(width, height);
    }

    /// <summary>0 keeps the original, 1 (the default) is the full style.</summary>
    public float Strength { get; set; } = 1;

    /// <summary>
    /// Time the network itself took on the last frame (the rest of Stylize is pixel conversion); on CUDA, the
    /// GPU's whole share: upload, conversion, network and download.
    /// </summary>
    public double LastModelMs { get; private set; }

    /// <summary>On CUDA, times each stage of every frame separately (see <see cref="DeviceFrameStylizer.TimeStages"/>); null on the CPU.</summary>
    public FrameStages? LastStages => _device is { TimeStages: true } d ? d.LastStages : null;

    public bool TimeStages
    {
        get => _device?.TimeStages ?? false;
        set { if (_device != null) _device.TimeStages = value; }
    }

    public void Stylize(Span<byte> bgr)
    {
        if (_device != null)
        {
            LastModelMs = _device.Stylize(bgr, Strength);
            return;
        }
        int plane = _plane;
        for (var i = 0; i < plane; i++)
        {
            var p = i * 3;
            _planar[i] = bgr[p + 2];
            _planar[plane + i] = bgr[p + 1];
            _planar[2 * plane + i] = bgr[p];
        }
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        _network!.Run(_planar, _styled);
        LastModelMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        var s = Strength;
        for (var i = 0; i < plane; i++)
        {
            var p = i * 3;
            bgr[p + 2] = StrengthBlend.Mix(_styled[i], _planar[i], s);
            bgr[p + 1] = StrengthBlend.Mix(_styled[plane + i], _planar[plane + i], s);
            bgr[p] = StrengthBlend.Mix(_styled[2 * plane + i], _planar[2 * plane + i], s);
        }
    }

    public void Dispose()
    {
        _network?.Dispose();
        _device?.Dispose();
    }
}
