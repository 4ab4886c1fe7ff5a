using System.Diagnostics;
using LiveStyle.Render.Pipeline;

namespace LiveStyle.Render.Sinks;

/// <summary>
/// Runs one sink on its own thread behind a newest-wins slot: the presenter hands every shown frame
/// over with a copy into a pooled buffer and never waits; a sink slower than the display skips
/// frames (counted) instead of delaying anything else. A sink that fails is stopped and reported;
/// the others go on.
/// </summary>
public sealed class SinkRunner : IDisposable
{
    private readonly IFrameSink _sink;
    private readonly LatestSlot<SinkFrame> _slot = new();
    private readonly Stack<SinkFrame> _free = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly SampleWindow _latency = new(2048);
    private long _written, _skipped, _sequence;
    private double _busyMs;

    public SinkRunner(IFrameSink sink, int width, int height, Action<string> notice)
    {
        _sink = sink;
        Notice = notice;
        for (var i = 0; i < 3; i++) _free.Push(new SinkFrame(width, height));
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

    /// <summary>Copies the shown frame (blended by <paramref name="strength"/>) for the sink; never blocks.</summary>
    public void Offer(LiveFrame frame, float strength)
    {
        if (Failure != null) return;
        SinkFrame? target;
        lock (_free) target = _free.Count > 0 ? _free.Pop() : null;
        if (target == null || target.Width != frame.Width || target.Height != frame.Height)
        {
            Interlocked.Increment(ref _skipped);
            if (target != null) Recycle(target);
            return;
        }
        Composite(frame, strength, target.Bgr);
        target.CapturedAt = frame.CapturedAt;
        target.Sequence = ++_sequence;
        if (_slot.Put(target) is { } stale)
        {
            Interlocked.Increment(ref _skipped);
            Recycle(stale);
        }
    }

    /// <summary>stylized·s + original·(1−s), as the window's shader does.</summary>
    public static void Composite(LiveFrame frame, float strength, byte[] into)
    {
        if (strength >= 1)
        {
            frame.Stylized.CopyTo(into, 0);
            return;
        }
        var keep = 1 - strength;
        for (var i = 0; i < into.Length; i++) into[i] = (byte)(frame.Stylized[i] * strength + frame.Original[i] * keep + 0.5f);
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
                _sink.Write(frame);
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
            finally { Recycle(frame); }
        }
    }

    private void Recycle(SinkFrame frame)
    {
        lock (_free) _free.Push(frame);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        try { if (Failure == null) _sink.Complete(); }
        catch (Exception e) { Notice($"{_sink.Name}: {e.Message.Split('\n')[0]}"); }
        _sink.Dispose();
    }
}
