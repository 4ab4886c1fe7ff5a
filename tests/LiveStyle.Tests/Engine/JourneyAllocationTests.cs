using LiveStyle.Capture.Sources;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Frames;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Pipeline.Scheduling;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// The whole frame path of live and convert, every thread included, allocates nothing per frame once
/// warm: counted process-wide (GC.GetTotalAllocatedBytes), so the test runs alone. A window of frames
/// counts as clean below 64 bytes a frame: one pixel buffer (2 KB at 30x22), a Task per hand-over
/// (over 100 bytes) or a closure per frame all exceed it; the few hundred bytes the runtime itself
/// allocates when it recompiles a hot method, at moments that depend on timing, do not.
/// </summary>
[Collection(Serial.Name)]
public sealed class JourneyAllocationTests
{
    private const int Width = 30, Height = 22, FramesPerWindow = 40;

    [Fact]
    public void TheLiveJourneyAllocatesNothingPerFrameOnceWarm()
    {
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        using var journey = new LiveJourney(new TestPatternSource(Width, Height, 2000), [model], Width, Height, loop: false, stabilize: 0.5f);
        journey.Start();
        var perFrame = CleanestWindow(() =>
        {
            for (var shown = 0; shown < FramesPerWindow;)
            {
                if (journey.TakeLatest(TimeSpan.FromMilliseconds(200)) is not { } frame) continue;
                journey.Stats.OnShown(frame.CapturedAt);
                shown++;
            }
        });
        Assert.Null(journey.Failure);
        Assert.True(perFrame < 64, $"live: {perFrame:F0} bytes per frame in the cleanest window");
    }

    [Fact]
    public void TheLosslessJourneyAllocatesNothingPerFrameOnceWarm()
    {
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        using var transform = new FrameTransform([model], Width, Height, strength: 0.7f, stabilize: 0.5f);
        using var pool = new FramePool<VideoFrame>(9, () => new VideoFrame(Width, Height));
        var pattern = new TestPatternSource(Width, Height);
        long written = 0;
        var windows = new List<double>(64);
        var windowStart = 0L;
        // The source, transform and sink of convert, with the decoder and encoder replaced by a pattern and a counter.
        Lossless.Run(pool,
            frame =>
            {
                pattern.Read(frame.Pixels, Width, Height);
                return written < 40 * FramesPerWindow;
            },
            frame => transform.Apply(frame),
            _ => { },
            _ =>
            {
                if (++written % FramesPerWindow != 0) return;
                var now = GC.GetTotalAllocatedBytes(precise: true);
                if (windowStart != 0) windows.Add((now - windowStart) / (double)FramesPerWindow);
                windowStart = GC.GetTotalAllocatedBytes(precise: true);
            },
            CancellationToken.None);
        var cleanest = windows.Min();
        Assert.True(cleanest < 64, $"convert: {cleanest:F0} bytes per frame in the cleanest window ({string.Join(", ", windows.Select(w => w.ToString("F0")))})");
    }

    /// <summary>Runs windows of frames until three in a row are clean (or 40 were tried); returns the cleanest bytes per frame.</summary>
    private static double CleanestWindow(Action window)
    {
        var cleanest = double.MaxValue;
        for (int tried = 0, clean = 0; tried < 40 && clean < 3; tried++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            window();
            var perFrame = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)FramesPerWindow;
            cleanest = Math.Min(cleanest, perFrame);
            clean = perFrame < 64 ? clean + 1 : 0;
        }
        return cleanest;
    }
}
