using System.Diagnostics;
using LiveStyle.Capture.Images;
using LiveStyle.Render.Pipeline;
using LiveStyle.Render.Sinks;
using LiveStyle.Render.Window;

namespace LiveStyle.Cli.Live;

public sealed record LiveLimits(long MaxFrames, TimeSpan? Duration, bool PrintStats, string? ScreenshotPath);

/// <summary>
/// Presents a running <see cref="LivePipeline"/>: in a window (keys switch style, strength, split,
/// pause, screenshot) or headless, with a stats line per second and a summary at the end.
/// </summary>
public sealed class LiveSession(LivePipeline pipeline, PreviewWindow? window, LiveLimits limits, float strength) : ILiveControls, ILiveRemote
{
    private readonly List<SinkRunner> _sinks = new();
    private float _strength = strength;
    private double _displayFps;
    private float _split = -1;
    private bool _screenshotRequested, _dirty;
    private LiveFrame? _current;

    public void AddSink(SinkRunner sink) => _sinks.Add(sink);

    public void Run(CancellationToken cancel)
    {
        pipeline.Start();
        var clock = Stopwatch.StartNew();
        var lastReport = clock.Elapsed;
        var endedAt = TimeSpan.Zero;
        while (!cancel.IsCancellationRequested && window?.ShouldClose != true)
        {
            if (pipeline.Failure is { } failure) throw failure;
            window?.PollEvents(0.002);
            var frame = pipeline.TakeLatest(window == null ? TimeSpan.FromMilliseconds(50) : TimeSpan.Zero);
            if (frame != null) Show(frame);
            else if (_dirty && window != null) Draw(null);

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                lastReport = clock.Elapsed;
                Report();
            }
            if (limits.MaxFrames > 0 && pipeline.Stats.Shown >= limits.MaxFrames) break;
            if (limits.Duration is { } d && clock.Elapsed >= d) break;
            if (pipeline.Ended && frame == null)
            {
                if (endedAt == TimeSpan.Zero) endedAt = clock.Elapsed;
                else if (clock.Elapsed - endedAt > TimeSpan.FromSeconds(1)) break;
            }
        }
        if (limits.ScreenshotPath != null && _current != null) SaveScreenshot(limits.ScreenshotPath);
        Console.Error.WriteLine($"livestyle: {pipeline.Stats.Summary()}");
    }

    private void Show(LiveFrame frame)
    {
        _current = frame;
        foreach (var sink in _sinks) sink.Offer(frame, _strength);
        if (window == null)
        {
            pipeline.Stats.OnShown(frame.CapturedAt);
            return;
        }
        window.Upload(frame);
        Draw(frame);
    }

    private void Draw(LiveFrame? fresh)
    {
        window!.Strength = _strength;
        window.Split = _split;
        window.Present();
        if (_screenshotRequested)
        {
            _screenshotRequested = false;
            SaveScreenshot($"livestyle-{DateTime.Now:yyyyMMdd-HHmmss-fff}.png");
        }
        window.Swap();
        _dirty = false;
        if (fresh != null) pipeline.Stats.OnShown(fresh.CapturedAt);
    }

    private void Report()
    {
        var (captureFps, displayFps) = pipeline.Stats.Rates();
        _displayFps = displayFps;
        var style = pipeline.Models[pipeline.StyleIndex].Style;
        var line = $"{style} ({pipeline.StyleIndex + 1}/{pipeline.Models.Count}) | capture {captureFps:F1} fps | inference {pipeline.Stats.InferencePercentile(0.5):F0} ms | " +
                   $"display {displayFps:F1} fps | latency {pipeline.Stats.LatencyPercentile(0.5):F0} ms | dropped {pipeline.Stats.Dropped}";
        foreach (var sink in _sinks) line += $" | {sink.Name}: {sink.Written} sent, {sink.Skipped} skipped";
        window?.SetTitle($"LiveStyle — {line}");
        if (limits.PrintStats) Console.Error.WriteLine($"livestyle: {line}");
    }

    /// <summary>The window's pixels when there is a window, else the frame as the sinks get it; names the source frame shown.</summary>
    private void SaveScreenshot(string path)
    {
        Image image;
        if (window != null)
        {
            window.Present();
            var (rgb, w, h) = window.ReadBack();
            image = new Image(w, h, 3, rgb);
        }
        else
        {
            // What the sinks get: the stylized frame blended with the original by the current strength.
            var shown = new byte[_current!.Stylized.Length];
            Render.Sinks.SinkRunner.Composite(_current, _strength, shown);
            image = ImageCodec.FromBgr(shown, _current.Width, _current.Height);
        }
        ImageCodec.Write(path, image);
        Console.WriteLine($"screenshot {path} (source frame {_current?.SourceIndex}, style {pipeline.Models[_current?.StyleIndex ?? 0].Style})");
    }

    public IReadOnlyList<string> Styles => pipeline.Models.Select(m => m.Style).ToList();
    int ILiveRemote.StyleIndex => pipeline.StyleIndex;
    public float Strength => _strength;
    public double DisplayFps => _displayFps;
    public double LatencyMs => pipeline.Stats.LatencyPercentile(0.5);

    public bool SelectStyle(string nameOrIndex)
    {
        var index = int.TryParse(nameOrIndex, out var i) ? i : Styles.ToList().IndexOf(nameOrIndex);
        if (index < 0 || index >= pipeline.Models.Count) return false;
        pipeline.StyleIndex = index;
        return true;
    }

    public void SetStrength(float strength)
    {
        _strength = Math.Clamp(strength, 0, 1);
        _dirty = true;
    }

    public void SelectStyle(int index)
    {
        if (index < pipeline.Models.Count) pipeline.StyleIndex = index;
    }

    public void StepStyle(int delta) => pipeline.StyleIndex += delta;

    public void StepStrength(float delta)
    {
        _strength = Math.Clamp(_strength + delta, 0, 1);
        _dirty = true;
    }

    public void ToggleSplit()
    {
        _split = _split < 0 ? 0.5f : -1;
        _dirty = true;
    }

    public void MoveSplit(float x)
    {
        _split = Math.Clamp(x, 0.01f, 0.99f);
        _dirty = true;
    }

    public void TogglePause() => pipeline.Paused = !pipeline.Paused;

    public void Screenshot()
    {
        _screenshotRequested = true;
        _dirty = true;
    }
}
