using System.Diagnostics;
using LiveStyle.Media.Pixels;
using LiveStyle.Pipeline.Frames;
using LiveStyle.Pipeline.Scheduling;
using LiveStyle.Render.Sinks;

namespace LiveStyle.Pipeline.Live;

/// <summary>
/// Runs one sink on its own thread behind a newest-wins slot: the presenter hands every shown frame
/// over with a copy into a pooled buffer and never waits; a sink slower than the display skips
/// frames (counted) instead of delaying anything else. A sink that fails is stopped and reported;
/// the others go on.
/// </summary>
public sealed class SinkRunner : IDisposable
{
    private readonly IFrameSink _sink;
    private readonly LatestSlot<LiveFrame> _slot = new();
    private readonly FramePool<LiveFrame> _free;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly SampleWindow _latency = new(2048);
    private long _written, _skipped;
    private double _busyMs;

    public SinkRunner(IFrameSink sink, int width, int height, Action<string> notice)
    {
        _sink = sink;
        Notice = notice;
        _free = new FramePool<LiveFrame>(3, () => new LiveFrame(width, height, keepOriginal: false));
        _thread = new Thread(Loop) { Name = $"sink {sink.Name}", IsBackground = true };
        _thread.Start();
    }

    private Action<string> Notice { get; }
    public string Name => _sink.Name;
    public Exception? Failure { get; private set; }
    public long Written => Interlocked.Read(ref _written);
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Mean time the sink spent per written frame.</summary>
    public double MeanWriteMs => Written == 0 ? 0 : _busyMs / Written;

    /// <summary>Median time from capture until this sink had written the frame.</summary>
    public double LatencyMs { get { lock (_latency) return _latency.Percentile(0.5); } }

    /// <summary>Copies the shown frame (blended by <paramref name="strength"/>, as the window's shader does) for the sink; never blocks.</summary>
    public void Offer(LiveFrame shown, float strength)
    {
        if (Failure != null) return;
        var target = _free.TryTake();
        if (target == null || target.Width != shown.Width || target.Height != shown.Height)
        {
            Interlocked.Increment(ref _skipped);
            if (target != null) _free.Return(target);
            return;
        }
        StrengthBlend.Mix(shown.Pixels, shown.Original ?? shown.Pixels, strength, target.Pixels);
        target.CapturedAt = shown.CapturedAt;
        if (_slot.Put(target) is { } stale)
        {
            Interlocked.Increment(ref _skipped);
            _free.Return(stale);
        }
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var frame = _slot.Take(TimeSpan.FromMilliseconds(100), _stop.Token);
            if (frame == null) continue;
            try
            {
                var start = Stopwatch.GetTimestamp();
                _sink.Write(frame.Pixels, frame.Width, frame.Height);
                _busyMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                lock (_latency) _latency.Add(Stopwatch.GetElapsedTime(frame.CapturedAt).TotalMilliseconds);
                Interlocked.Increment(ref _written);
            }
            catch (Exception e)
            {
                Failure = e;
                Notice($"{_sink.Name} stopped: {e.Message.Split('\n')[0]}; the other outputs go on");
                return;
            }
            finally { _free.Return(frame); }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        try { if (Failure == null) _sink.Complete(); }
        catch (Exception e) { Notice($"{_sink.Name}: {e.Message.Split('\n')[0]}"); }
        _sink.Dispose();
        _free.Dispose();
    }
}
