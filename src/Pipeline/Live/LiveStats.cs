using System.Diagnostics;

namespace LiveStyle.Pipeline.Live;

/// <summary>Counters and recent timings of a live run; recording allocates nothing.</summary>
public sealed class LiveStats
{
    private readonly SampleWindow _latency = new(4096), _inference = new(4096);
    private long _captured, _stylized, _shown, _dropped;
    private long _lastCaptured, _lastShown, _lastReport = Stopwatch.GetTimestamp();
    private double _stageMs, _modelMs;

    public long Captured => Interlocked.Read(ref _captured);
    public long Stylized => Interlocked.Read(ref _stylized);
    public long Shown => Interlocked.Read(ref _shown);
    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnCaptured() => Interlocked.Increment(ref _captured);
    public void OnDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>One frame through the inference stage: its whole time there, and the part the network took.</summary>
    public void OnStylized(double stageMs, double modelMs)
    {
        Interlocked.Increment(ref _stylized);
        lock (_inference)
        {
            _inference.Add(stageMs);
            _stageMs += stageMs;
            _modelMs += modelMs;
        }
    }

    /// <summary>Share of the inference stage's time spent outside the network (copies, pixel conversion, hand-over).</summary>
    public double OutsideModelShare { get { lock (_inference) return _stageMs <= 0 ? 0 : 1 - _modelMs / _stageMs; } }

    public void OnShown(long capturedAt)
    {
        Interlocked.Increment(ref _shown);
        lock (_latency) _latency.Add(Stopwatch.GetElapsedTime(capturedAt).TotalMilliseconds);
    }

    public double LatencyPercentile(double p) { lock (_latency) return _latency.Percentile(p); }
    public double InferencePercentile(double p) { lock (_inference) return _inference.Percentile(p); }

    /// <summary>Rates since the previous call: (capture fps, display fps).</summary>
    public (double Capture, double Display) Rates()
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(_lastReport, now).TotalSeconds);
        var (captured, shown) = (Captured, Shown);
        var rates = ((captured - _lastCaptured) / seconds, (shown - _lastShown) / seconds);
        (_lastCaptured, _lastShown, _lastReport) = (captured, shown, now);
        return rates;
    }

    public string Summary() =>
        $"captured {Captured}, stylized {Stylized}, shown {Shown}, dropped {Dropped}; " +
        $"inference p50 {InferencePercentile(0.5):F1} ms, p95 {InferencePercentile(0.95):F1} ms ({OutsideModelShare:P1} of it outside the network); " +
        $"latency p50 {LatencyPercentile(0.5):F1} ms, p95 {LatencyPercentile(0.95):F1} ms";
}
