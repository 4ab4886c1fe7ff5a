using LiveStyle.Media.Pixels;
using LiveStyle.Models.Inference;

namespace LiveStyle.Pipeline.Transform;

/// <summary>
/// Stylizes packed BGR24 frames of one size in place. The planar buffers are allocated once and the
/// model's engine runs on them through an <see cref="IPlanarStylizer"/>, so per frame nothing is allocated
/// on the managed heap once warm. On CUDA the conversion moves to the device (<see cref="DeviceFrameStylizer"/>).
/// </summary>
public sealed class BgrFrameStylizer : IDisposable
{
    private readonly float[] _planar, _styled;
    private readonly IPlanarStylizer? _network;
    private readonly DeviceFrameStylizer? _device;

    /// <param name="convertOnDevice">Convert pixels with tensor operations on the model's device (default: on CUDA).</param>
    public BgrFrameStylizer(StyleModel model, int width, int height, bool? convertOnDevice = null)
    {
        StyleMemory.Check(model, width, height);
        if (convertOnDevice ?? model.Device.IsCuda)
        {
            if (model.Engine is not TorchEngine torch) throw new ArgumentException("converting frames on the device needs the libtorch engine");
            _device = new DeviceFrameStylizer(torch, width, height);
            _planar = _styled = [];
            return;
        }
        _network = model.Engine.BindPlanar(width, height);
        // Where the engine reads and writes frames in place, the conversions use its own buffers: no copy in or out.
        (_planar, _styled) = _network.InPlace is { } own ? (own.Input, own.Output) : (new float[3 * width * height], new float[3 * width * height]);
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
        PixelPlanes.ToPlanar<Bgr24>(Pixel3.Of<Bgr24>(bgr), _planar);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_network!.InPlace != null) _network.RunInPlace();
        else _network.Run(_planar, _styled);
        LastModelMs = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        PixelPlanes.ToPacked(_styled, _planar, Strength, Pixel3.Of<Bgr24>(bgr));
    }

    public void Dispose()
    {
        _network?.Dispose();
        _device?.Dispose();
    }
}
