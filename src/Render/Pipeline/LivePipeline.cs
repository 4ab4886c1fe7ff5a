using System.Diagnostics;
using LiveStyle.Capture.Frames;
using LiveStyle.Capture.Motion;
using LiveStyle.Capture.Sources;
using LiveStyle.Models.Inference;

namespace LiveStyle.Render.Pipeline;

/// <summary>
/// A live frame's journey: source (own thread, paced to its frame rate unless live) → newest-wins
/// slot → inference thread (current style; with stabilisation, the optical flow from the previous frame on
/// a thread of its own while the network runs, then the blend) → newest-wins slot → whoever presents (a window, or the
/// headless loop) via <see cref="TakeLatest"/>. A slow stage never builds a backlog: stale frames are
/// replaced, counted as dropped and recycled. Buffers come from fixed pools, so nothing is allocated
/// per frame apart from the network's own activations.
/// </summary>
public sealed class LivePipeline : IDisposable
{
    private readonly IFrameSource _source;
    private readonly BgrFrameStylizer[] _stylizers;
    private readonly TemporalStabilizer? _stabilizer;
    private int _stabilizedStyle = -1;
    private readonly LatestSlot<LiveFrame> _captured = new(), _results = new();
    private readonly Stack<LiveFrame> _freeCaptured = new(), _freeResults = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = new();
    private readonly bool _loop;
    private LiveFrame? _shown;
    private volatile int _style;
    private volatile bool _paused, _ended;
    private Exception? _failure;

    /// <param name="stabilize">Temporal stabilisation strength (0: off; see <see cref="TemporalStabilizer"/>).</param>
    public LivePipeline(IFrameSource source, IReadOnlyList<StyleModel> models, int width, int height, bool loop, float stabilize = 0)
    {
        _source = source;
        _loop = loop;
        Width = width;
        Height = height;
        Models = models;
        _stylizers = models.Select(m => new BgrFrameStylizer(m, width, height)).ToArray();
        _stabilizer = stabilize > 0 ? new TemporalStabilizer(width, height, stabilize) : null;
        for (var i = 0; i < 3; i++) _freeCaptured.Push(new LiveFrame(width, height));
        for (var i = 0; i < 4; i++) _freeResults.Push(new LiveFrame(width, height));
    }

    public int Width { get; }
    public int Height { get; }
    public IReadOnlyList<StyleModel> Models { get; }
    public LiveStats Stats { get; } = new();

    /// <summary>Set by the source thread for a camera that went away (and cleared when it is back).</summary>
    public event Action<string>? Notice;

    public int StyleIndex
    {
        get => _style;
        set => _style = ((value % Models.Count) + Models.Count) % Models.Count;
    }

    public bool Paused { get => _paused; set => _paused = value; }

    /// <summary>True once a non-looping file source has delivered its last frame and that frame was taken.</summary>
    public bool Ended => _ended;

    public Exception? Failure => _failure;

    public void Start()
    {
        _threads.Add(new Thread(CaptureLoop) { Name = "capture", IsBackground = true });
        _threads.Add(new Thread(InferenceLoop) { Name = "inference", IsBackground = true });
        foreach (var t in _threads) t.Start();
    }

    /// <summary>The newest result not yet presented, or null; the previously presented frame goes back to the pool.</summary>
    public LiveFrame? TakeLatest(TimeSpan wait)
    {
        var next = wait > TimeSpan.Zero ? _results.Take(wait, _stop.Token) : _results.TryTake();
        if (next == null) return null;
        if (_shown != null) Recycle(_freeResults, _shown);
        _shown = next;
        return next;
    }

    private void CaptureLoop()
    {
        try
        {
            var interval = _source.IsLive ? 0 : Stopwatch.Frequency / _source.FrameRate;
            var next = Stopwatch.GetTimestamp();
            long index = 0;
            var lost = false;
            while (!_stop.IsCancellationRequested)
            {
                if (_paused) { Thread.Sleep(20); next = Stopwatch.GetTimestamp(); continue; }
                var frame = Pop(_freeCaptured);
                var result = _source.Read(frame.Original, Width, Height);
                if (result != ReadResult.Frame)
                {
                    Recycle(_freeCaptured, frame);
                    if (result == ReadResult.End && _loop && _source.Rewind()) { index = 0; continue; }
                    if (result == ReadResult.End) { _ended = true; return; }
                    if (!lost) Notice?.Invoke($"{_source.Name} stopped delivering frames (unplugged?); waiting for it to come back");
                    lost = true;
                    Thread.Sleep(1000);
                    continue;
                }
                if (lost) Notice?.Invoke($"{_source.Name} is back");
                lost = false;
                frame.CapturedAt = Stopwatch.GetTimestamp();
                frame.SourceIndex = index++;
                Stats.OnCaptured();
                if (_captured.Put(frame) is { } stale)
                {
                    Stats.OnDropped();
                    Recycle(_freeCaptured, stale);
                }
                if (interval > 0)
                {
                    next += (long)interval;
                    var wait = next - Stopwatch.GetTimestamp();
                    if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    else next = Stopwatch.GetTimestamp(); // behind: do not try to catch up with a burst
                }
            }
        }
        catch (Exception e) { Fail(e); }
    }

    private void InferenceLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var input = _captured.Take(TimeSpan.FromMilliseconds(100), _stop.Token);
                if (input == null) continue;
                var frameStart = Stopwatch.GetTimestamp();
                var output = Pop(_freeResults);
                var style = _style;
                input.Original.CopyTo(output.Original, 0);
                input.Original.CopyTo(output.Stylized, 0);
                (output.CapturedAt, output.SourceIndex, output.StyleIndex) = (input.CapturedAt, input.SourceIndex, style);
                Recycle(_freeCaptured, input);
                if (_stabilizer != null)
                {
                    if (style != _stabilizedStyle) _stabilizer.Reset(); // a new style is a cut
                    _stabilizedStyle = style;
                    _stabilizer.Begin(output.Original);
                }
                _stylizers[style].Stylize(output.Stylized);
                _stabilizer?.End(output.Stylized);
                Stats.OnStylized(Stopwatch.GetElapsedTime(frameStart).TotalMilliseconds, _stylizers[style].LastModelMs);
                if (_results.Put(output) is { } stale)
                {
                    Stats.OnDropped();
                    Recycle(_freeResults, stale);
                }
            }
        }
        catch (Exception e) { Fail(e); }
    }

    private void Fail(Exception e)
    {
        _failure ??= e;
        _stop.Cancel();
    }

    private LiveFrame Pop(Stack<LiveFrame> pool)
    {
        while (true)
        {
            lock (pool)
                if (pool.Count > 0) return pool.Pop();
            if (_stop.IsCancellationRequested) throw new OperationCanceledException();
            Thread.Sleep(1);
        }
    }

    private static void Recycle(Stack<LiveFrame> pool, LiveFrame frame)
    {
        lock (pool) pool.Push(frame);
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var t in _threads) t.Join();
        foreach (var s in _stylizers) s.Dispose();
        _stabilizer?.Dispose();
        _source.Dispose();
    }
}
