using System.Diagnostics;
using LiveStyle.Media.Pixels;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Transform;

/// <summary>
/// The GPU half of <see cref="BgrFrameStylizer"/>: the packed BGR24 bytes cross the bus as they are
/// (a quarter of the float32 planes' size) through two page-locked buffers, and the byte ↔ float
/// conversion, channel swap, strength blend and rounding run on the device beside the network.
/// The arithmetic is the CPU path's: the blend in float32, rounded half to even, clamped to 0..255.
/// It runs on any device (the tests compare it with the CPU path's bytes there).
/// </summary>
internal sealed class DeviceFrameStylizer : IDisposable
{
    private readonly TorchEngine _engine;
    private readonly Tensor _hostIn, _hostOut;

    public DeviceFrameStylizer(TorchEngine engine, int width, int height)
    {
        _engine = engine;
        var pinned = engine.Device.IsCuda;
        // Frame sizes stay fixed for a run, so cuDNN's one-off algorithm search at each shape pays off.
        if (pinned) Torch.SetCudnnAutotune(true);
        _hostIn = Torch.Empty([1, height, width, 3], ScalarType.UInt8, pinned: pinned).DetachFromScope();
        try { _hostOut = Torch.Empty([1, height, width, 3], ScalarType.UInt8, pinned: pinned).DetachFromScope(); }
        catch
        {
            _hostIn.Dispose();
            throw;
        }
    }

    /// <summary>
    /// With this set, each stage waits for the GPU before the next starts, so <see cref="LastStages"/> says where
    /// a frame's time goes (benchmarks only: it removes the overlap between the host and the GPU).
    /// </summary>
    public bool TimeStages { get; set; }

    public FrameStages LastStages { get; private set; }

    /// <summary>Stylizes <paramref name="bgr"/> in place; returns the milliseconds from upload to the finished download.</summary>
    public double Stylize(Span<byte> bgr, float strength)
    {
        var t0 = Stopwatch.GetTimestamp();
        bgr.CopyTo(_hostIn.AsSpan<byte>());
        var t1 = Stopwatch.GetTimestamp();
        long t2, t3;
        var device = _engine.Device;
        using (Torch.RecycleTensors())
        {
            using var uploaded = _hostIn.To(device, ScalarType.UInt8, nonBlocking: true);
            using var nchw = uploaded.Permute(0, 3, 1, 2);
            using var rgb = nchw.Flip(1);
            t2 = Stage(device);
            // At full strength the network's own output is rounded: an fp16 or bf16 value converts to float32
            // exactly, so rounding it in its own type gives the CPU path's bytes without two float32 passes.
            using var styled = strength == 1 ? _engine.Forward(rgb) : Blend(rgb, strength);
            t3 = Stage(device);
            using var rounded = styled.Round();
            using var clamped = rounded.Clamp(0, 255);
            using var bytes = clamped.To(ScalarType.UInt8);
            using var bgrOut = bytes.Flip(1);
            using var nhwc = bgrOut.Permute(0, 2, 3, 1);
            _hostOut.CopyFrom(nhwc, nonBlocking: true);
            Torch.Synchronize(device);
        }
        var t4 = Stopwatch.GetTimestamp();
        _hostOut.AsSpan<byte>().CopyTo(bgr);
        var t5 = Stopwatch.GetTimestamp();
        if (TimeStages) LastStages = new FrameStages(Ms(t0, t1) + Ms(t4, t5), Ms(t1, t2), Ms(t2, t3), Ms(t3, t4));
        return Ms(t1, t4);
    }

    private long Stage(Device device)
    {
        if (TimeStages) Torch.Synchronize(device);
        return Stopwatch.GetTimestamp();
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary><see cref="StrengthBlend"/>'s rule in float32 tensor ops (rounded and clamped by the caller).</summary>
    private Tensor Blend(Tensor rgb, float strength)
    {
        using var original = rgb.To(ScalarType.Float32);
        using var styled = _engine.Run(original);
        using var shown = styled.Clamp(0, 255);
        using var weighted = shown * strength;
        using var kept = original * (1 - strength);
        return weighted + kept;
    }

    public void Dispose()
    {
        _hostIn.Dispose();
        _hostOut.Dispose();
    }
}

/// <summary>Where one frame's time went on the GPU path, in milliseconds.</summary>
public readonly record struct FrameStages(double HostCopies, double UploadAndConvert, double Network, double ConvertAndDownload);
