using LiveStyle.Media.Motion;
using LiveStyle.Media.Pixels;
using OpenCvSharp;

namespace LiveStyle.Pipeline.Transform;

/// <summary>
/// Removes flicker from stylized video as it is made: the previous output is warped to the current frame
/// along the optical flow of the input frames and blended with the new stylized frame where the flow is
/// reliable: out = styled + s · c(x) · (warp(previous out) − styled), with s the strength and c(x) the
/// confidence, 1 where the warped previous input matches the current input and falling to 0 where it
/// does not (occlusions, things appearing, lighting jumps). When most of the frame is unreliable the frame
/// is a scene cut and passes unchanged, so nothing of the old scene is carried over.
/// Flow runs on a small grey copy (longer side <see cref="FlowSide"/>) on a thread of its own, started by
/// <see cref="Begin"/> with the input frame, so it overlaps the network; <see cref="End"/> blends.
/// Nothing is allocated per frame.
/// </summary>
public sealed class TemporalStabilizer : IDisposable
{
    public const float DefaultStrength = 0.8f;
    public const int FlowSide = 128;
    // Grey-level differences between the warped previous input and the current one, on the small frame
    // (area-averaged, so codec noise is a level or two): up to Trusted the warp is believed fully,
    // beyond Untrusted not at all.
    private const float Trusted = 6, Untrusted = 20;
    private const float CutBelow = 0.4f; // share of reliable pixels below which the frame is a cut

    private readonly int _width, _height, _smallWidth, _smallHeight;
    private readonly CvMat _input, _gray, _previousOutput, _warped, _flowFull, _map, _confidenceFull;
    private readonly CvMat _flow, _smallMap, _warpedSmall, _confidence;
    private readonly CvMat[] _small = new CvMat[2];
    private readonly SemaphoreSlim _work = new(0), _done = new(0);
    private readonly Thread _thread;
    private int _current;
    private bool _hasPrevious, _usable, _disposed, _pending;
    private Exception? _failure;

    public TemporalStabilizer(int width, int height, float strength = DefaultStrength)
    {
        if (strength is < 0 or > 1 || float.IsNaN(strength)) throw new ArgumentOutOfRangeException(nameof(strength), "stabilisation strength must be between 0 and 1");
        (_width, _height, Strength) = (width, height, strength);
        var scale = Math.Min(1.0, (double)FlowSide / Math.Max(width, height));
        _smallWidth = Math.Max(8, (int)Math.Round(width * scale));
        _smallHeight = Math.Max(8, (int)Math.Round(height * scale));
        var owned = new List<CvMat>();
        CvMat Make(int w, int h, MatType type)
        {
            var m = new CvMat(w, h, type);
            owned.Add(m);
            return m;
        }
        try
        {
            _input = Make(width, height, MatType.CV_8UC3);
            _gray = Make(width, height, MatType.CV_8UC1);
            _previousOutput = Make(width, height, MatType.CV_8UC3);
            _warped = Make(width, height, MatType.CV_8UC3);
            _flowFull = Make(width, height, MatType.CV_32FC2);
            _map = Make(width, height, MatType.CV_32FC2);
            _confidenceFull = Make(width, height, MatType.CV_32FC1);
            _flow = Make(_smallWidth, _smallHeight, MatType.CV_32FC2);
            _smallMap = Make(_smallWidth, _smallHeight, MatType.CV_32FC2);
            _warpedSmall = Make(_smallWidth, _smallHeight, MatType.CV_8UC1);
            _confidence = Make(_smallWidth, _smallHeight, MatType.CV_32FC1);
            _small[0] = Make(_smallWidth, _smallHeight, MatType.CV_8UC1);
            _small[1] = Make(_smallWidth, _smallHeight, MatType.CV_8UC1);
        }
        catch
        {
            foreach (var m in owned) m.Dispose();
            throw;
        }
        _thread = new Thread(Worker) { Name = "optical flow", IsBackground = true };
        _thread.Start();
    }

    /// <summary>0 passes the stylized frames through; 1 keeps as much of the warped past as the confidence allows.</summary>
    public float Strength { get; }

    /// <summary>Forget the previous frame (a new style, a jump in the source): the next frame passes unchanged.</summary>
    public void Reset()
    {
        if (_pending) throw new InvalidOperationException("Reset between End and the next Begin");
        _hasPrevious = false;
    }

    /// <summary>Starts the flow from this input frame (packed BGR24) to the previous one; the caller may then run the network.</summary>
    public void Begin(ReadOnlySpan<byte> inputBgr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending) throw new InvalidOperationException("Begin called twice without End");
        inputBgr.CopyTo(_input.AsSpan<byte>());
        _pending = true;
        _work.Release();
    }

    /// <summary>Blends the stylized frame (packed BGR24, in place) with the warped previous output, and keeps the result for the next frame.</summary>
    public void End(Span<byte> styledBgr)
    {
        if (!_pending) throw new InvalidOperationException("End called without Begin");
        _done.Wait();
        _pending = false;
        if (_failure is { } failure)
        {
            _failure = null;
            _hasPrevious = false;
            throw new InvalidOperationException($"stabilisation failed: {failure.Message}", failure);
        }
        if (_usable && Strength > 0) Blend(styledBgr);
        styledBgr.CopyTo(_previousOutput.AsSpan<byte>());
        _hasPrevious = true;
        _current = 1 - _current;
    }

    private void Blend(Span<byte> styledBgr)
    {
        var styled = Pixel3.Of<Bgr24>(styledBgr);
        var warped = Pixel3.Of<Bgr24>((ReadOnlySpan<byte>)_warped.AsSpan<byte>());
        ReadOnlySpan<float> confidence = _confidenceFull.AsSpan<float>();
        var s = Strength * 256;
        for (var i = 0; i < confidence.Length; i++)
        {
            // Weights in 1/256ths: integer arithmetic, rounded to nearest.
            var w = (int)(s * confidence[i] + 0.5f);
            if (w <= 0) continue;
            var (from, to) = (styled[i], warped[i]);
            styled[i] = new Bgr24(Toward(from.B, to.B, w), Toward(from.G, to.G, w), Toward(from.R, to.R, w));
        }
    }

    private static byte Toward(byte value, byte target, int weight) => (byte)(value + ((weight * (target - value) + 128) >> 8));

    private void Worker()
    {
        while (true)
        {
            _work.Wait();
            if (_disposed) return;
            try { Prepare(); }
            catch (Exception e)
            {
                _failure = e;
                _usable = false;
            }
            _done.Release();
        }
    }

    private void Prepare()
    {
        CvMat current = _small[_current], previous = _small[1 - _current];
        Cv.ToGray(_input, _gray);
        Cv.Resize(_gray, current);
        _usable = false;
        if (!_hasPrevious || Strength == 0) return;

        Cv.Flow(current, previous, _flow, FlowSettings.Fast);
        FlowMaps.ToSamplingMap(_flow.AsSpan<float>(), _smallMap.AsSpan<float>(), _smallWidth, _smallHeight);
        Cv.Remap(previous, _smallMap, _warpedSmall);
        if (Confidence(current.AsSpan<byte>(), _warpedSmall.AsSpan<byte>(), _confidence.AsSpan<float>()) < CutBelow) return;

        Cv.Resize(_flow, _flowFull);
        FlowMaps.ToSamplingMap(_flowFull.AsSpan<float>(), _map.AsSpan<float>(), _width, _height,
            (float)_width / _smallWidth, (float)_height / _smallHeight);
        // Nearest, not bilinear: the output is fed back every frame, and resampling it each time would blur
        // still texture a little more with every frame (on fox.mp4 bilinear lost a further 10% of the
        // strokes' gradient energy); whole-pixel moves keep it sharp, and the map is recomputed each frame.
        Cv.Remap(_previousOutput, _map, _warped, InterpolationFlags.Nearest);
        Cv.Resize(_confidence, _confidenceFull);
        _usable = true;
    }

    /// <summary>Fills the confidence map; returns the share of pixels at least half trusted.</summary>
    private static float Confidence(ReadOnlySpan<byte> current, ReadOnlySpan<byte> warpedPrevious, Span<float> confidence)
    {
        var reliable = 0;
        for (var i = 0; i < confidence.Length; i++)
        {
            float error = Math.Abs(current[i] - warpedPrevious[i]);
            var c = Math.Clamp((Untrusted - error) / (Untrusted - Trusted), 0f, 1f);
            confidence[i] = c;
            if (c >= 0.5f) reliable++;
        }
        return (float)reliable / confidence.Length;
    }

    public void Dispose()
    {
        if (_disposed) return;
        if (_pending) _done.Wait();
        _disposed = true;
        _work.Release();
        _thread.Join();
        foreach (var m in new[] { _input, _gray, _previousOutput, _warped, _flowFull, _map, _confidenceFull, _flow, _smallMap, _warpedSmall, _confidence, _small[0], _small[1] })
            m.Dispose();
        _work.Dispose();
        _done.Dispose();
    }
}
