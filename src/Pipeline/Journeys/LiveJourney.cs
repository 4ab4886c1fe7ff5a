using System.Diagnostics;
using LiveStyle.Capture.Sources;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Frames;
using LiveStyle.Pipeline.Live;
using LiveStyle.Pipeline.Scheduling;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Window;

namespace LiveStyle.Pipeline.Journeys;

public sealed record LiveLimits(long MaxFrames = 0, TimeSpan? Duration = null, bool PrintStats = false, string? ScreenshotPath = null);

/// <summary>
/// A live frame's journey, on three threads joined by newest-wins slots (a slow stage never builds a
/// backlog: a stale frame is replaced, counted as dropped and goes back to the pool):
/// 1. capture (<see cref="CaptureLoop"/>): the source fills a pooled frame at the processing size, paced
///    to a file's frame rate;
/// 2. inference (<see cref="InferenceLoop"/>): the original is kept beside the pixels, and the transform
///    paints them with the current style (and stabilises them, its flow computed beside the network);
/// 3. presenting (<see cref="Run"/>, the caller's thread): the newest result goes to the window, which
///    blends original and style by the current strength in its shader, and to every sink, each of which
///    gets a copy blended the same way on a thread of its own.
/// Frames come from one fixed pool, so nothing is allocated per frame apart from the network's own
/// activations. Keys and the HTTP remote change style, strength and split view (LiveJourney.Controls.cs).
/// </summary>
public sealed partial class LiveJourney : IDisposable
{
    private readonly IFrameSource _source;
    private readonly FrameTransform _transform;
    private readonly FramePool<LiveFrame> _pool;
    private readonly LatestSlot<LiveFrame> _captured = new(), _results = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = new();
    private readonly bool _loop;
    private LiveFrame? _shown;
    private volatile bool _ended;
    private Exception? _failure;

    /// <param name="source">Owned from here on: disposed with the journey, or at once if the journey cannot be made.</param>
    /// <param name="stabilize">Temporal stabilisation strength (0: off; see <see cref="Transform.TemporalStabilizer"/>).</param>
    /// <param name="strength">The strength shown at first; keys and the remote change it while running.</param>
    public LiveJourney(IFrameSource source, IReadOnlyList<StyleModel> models, int width, int height, bool loop, float stabilize = 0, float strength = 1)
    {
        _source = source;
        _loop = loop;
        (Width, Height) = (width, height);
        try { _transform = new FrameTransform(models, width, height, strength: 1, stabilize); }
        catch
        {
            source.Dispose();
            throw;
        }
        // One frame each being captured, waiting, painted, waiting and shown, plus one spare.
        _pool = new FramePool<LiveFrame>(6, () => new LiveFrame(width, height, keepOriginal: true));
        _settings = new LiveSettings(0, strength, LiveSettings.NoSplit, false).Within(models.Count);
    }

    public int Width { get; }
    public int Height { get; }
    public IReadOnlyList<StyleModel> Models => _transform.Models;

    /// <summary>The processing size when none is asked for: the source's, at most 640 wide (real time on a CPU).</summary>
    public static (int Width, int Height) DefaultSize(IFrameSource source) =>
        source.Width <= 640 ? (source.Width, source.Height) : (640, Math.Max(1, (int)Math.Round(source.Height * 640.0 / source.Width)));

    public LiveStats Stats { get; } = new();

    /// <summary>A message for the user (a camera that went away and came back, a sink that stopped, stats lines).</summary>
    public event Action<string>? Notice;

    /// <summary>True once a non-looping file source has delivered its last frame and that frame was taken.</summary>
    public bool Ended => _ended;

    public Exception? Failure => _failure;

    public void Start()
    {
        _threads.Add(new Thread(CaptureLoop) { Name = "capture", IsBackground = true });
        _threads.Add(new Thread(InferenceLoop) { Name = "inference", IsBackground = true });
        foreach (var t in _threads) t.Start();
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
                if (Settings.Paused) { Thread.Sleep(20); next = Stopwatch.GetTimestamp(); continue; }
                var frame = _pool.Take(_stop.Token);
                var result = _source.Read(frame.Pixels, Width, Height);
                if (result != ReadResult.Frame)
                {
                    _pool.Return(frame);
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
                Hand(_captured, frame);
                if (interval > 0)
                {
                    next += (long)interval;
                    var wait = next - Stopwatch.GetTimestamp();
                    if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    else next = Stopwatch.GetTimestamp(); // behind: do not try to catch up with a burst
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { Fail(e); }
    }

    private void InferenceLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var frame = _captured.Take(TimeSpan.FromMilliseconds(100), _stop.Token);
                if (frame == null) continue;
                var start = Stopwatch.GetTimestamp();
                frame.Pixels.CopyTo(frame.Original!, 0);
                var style = Settings.StyleIndex;
                _transform.Apply(frame, style);
                frame.StyleIndex = style;
                Stats.OnStylized(Stopwatch.GetElapsedTime(start).TotalMilliseconds, _transform.LastModelMs);
                Hand(_results, frame);
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { Fail(e); }
    }

    /// <summary>Puts a frame in a newest-wins slot; the one it replaces was never used and goes back to the pool.</summary>
    private void Hand(LatestSlot<LiveFrame> slot, LiveFrame frame)
    {
        if (slot.Put(frame) is not { } stale) return;
        Stats.OnDropped();
        _pool.Return(stale);
    }

    /// <summary>The newest result not yet presented, or null; the previously presented frame goes back to the pool.</summary>
    public LiveFrame? TakeLatest(TimeSpan wait)
    {
        var next = wait > TimeSpan.Zero ? _results.Take(wait, _stop.Token) : _results.TryTake();
        if (next == null) return null;
        if (_shown != null) _pool.Return(_shown);
        _shown = next;
        return next;
    }

    /// <summary>
    /// Presents until the window closes, the limits are reached, a file source ends or
    /// <paramref name="cancel"/> fires; returns the run's summary.
    /// </summary>
    /// <param name="print">Where lines for standard output go (the screenshot's name and what it shows).</param>
    /// <param name="presenter">The window, or <see cref="NoWindow"/>; the caller keeps owning it.</param>
    public string Run(IPresenter presenter, IReadOnlyList<SinkRunner> sinks, LiveLimits limits, Action<string> print, CancellationToken cancel)
    {
        (_presenter, _sinks, _print) = (presenter, sinks, print);
        Start();
        var clock = Stopwatch.StartNew();
        var lastReport = clock.Elapsed;
        var endedAt = TimeSpan.Zero;
        while (!cancel.IsCancellationRequested && !presenter.ShouldClose)
        {
            if (_failure is { } failure) throw failure;
            presenter.PollEvents();
            var frame = TakeLatest(presenter.FrameWait);
            if (frame != null) Show(frame);
            else if (_dirty && _shown != null) Draw(null, Settings);

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                lastReport = clock.Elapsed;
                Report(limits.PrintStats);
            }
            if (limits.MaxFrames > 0 && Stats.Shown >= limits.MaxFrames) break;
            if (limits.Duration is { } d && clock.Elapsed >= d) break;
            if (_ended && frame == null)
            {
                if (endedAt == TimeSpan.Zero) endedAt = clock.Elapsed;
                else if (clock.Elapsed - endedAt > TimeSpan.FromSeconds(1)) break;
            }
        }
        if (limits.ScreenshotPath != null && _shown != null)
        {
            _presenter.Draw(Settings);
            SaveScreenshot(limits.ScreenshotPath);
        }
        return Stats.Summary();
    }

    private void Show(LiveFrame frame)
    {
        var settings = Settings; // one value for the sinks and the window alike
        foreach (var sink in _sinks) sink.Offer(frame, settings.Strength);
        _presenter.Upload(frame.Original!, frame.Pixels, frame.Width, frame.Height);
        Draw(frame, settings);
    }

    private void Draw(LiveFrame? fresh, LiveSettings settings)
    {
        _dirty = false;
        _presenter.Draw(settings);
        if (_screenshotRequested)
        {
            _screenshotRequested = false;
            SaveScreenshot($"livestyle-{DateTime.Now:yyyyMMdd-HHmmss-fff}.png");
        }
        _presenter.Swap();
        if (fresh != null) Stats.OnShown(fresh.CapturedAt);
    }

    private void Report(bool printStats)
    {
        var (captureFps, displayFps) = Stats.Rates();
        _displayFps = displayFps;
        var style = Settings.StyleIndex;
        var line = $"{Models[style].Style} ({style + 1}/{Models.Count}) | capture {captureFps:F1} fps | inference {Stats.InferencePercentile(0.5):F0} ms | " +
                   $"display {displayFps:F1} fps | latency {Stats.LatencyPercentile(0.5):F0} ms | dropped {Stats.Dropped}";
        foreach (var sink in _sinks) line += $" | {sink.Name}: {sink.Written} sent, {sink.Skipped} skipped";
        _presenter.SetStatus(line);
        if (printStats) Notice?.Invoke(line);
    }

    /// <summary>What the presenter drew (the window's pixels, or the frame as the sinks get it); names the source frame shown.</summary>
    private void SaveScreenshot(string path)
    {
        var shown = _shown!;
        ImageCodec.Write(path, _presenter.ReadBack());
        _print($"screenshot {path} (source frame {shown.SourceIndex}, style {Models[shown.StyleIndex].Style})");
    }

    private void Fail(Exception e)
    {
        _failure ??= e;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var t in _threads) t.Join();
        _transform.Dispose();
        lock (_adding)
            foreach (var m in _added) m.Dispose();
        _pool.Dispose();
        _source.Dispose();
    }
}
