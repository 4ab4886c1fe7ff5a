using System.Diagnostics;
using LiveStyle.Capture.Sources;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Frames;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Pipeline.Measure;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Live;

/// <summary>The live journey's promises, checked in-process. Runs alone so CPU contention from other tests does not distort timings.</summary>
[Collection(Serial.Name)]
public class LiveJourneyTests
{
    [Fact]
    public void ASourceFasterThanTheModelDropsFramesInsteadOfQueueing()
    {
        // ml5 'wave' at 256x192, fed by a test pattern paced at three frames per inference as measured here (at least
        // 30 fps), so the source outpaces the model on any machine.
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        double measured;
        using (var probe = new BgrFrameStylizer(model, 256, 192))
        {
            var frame = new byte[256 * 192 * 3];
            probe.Stylize(frame);
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++) probe.Stylize(frame);
            measured = timer.Elapsed.TotalMilliseconds / 3;
        }
        var fps = Math.Max(30, 3000 / measured);
        using var journey = new LiveJourney(new TestPatternSource(256, 192, fps), [model], 256, 192, loop: false);
        journey.Start();
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>();
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
            if (journey.TakeLatest(TimeSpan.FromMilliseconds(50)) is { } frame)
            {
                journey.Stats.OnShown(frame.CapturedAt);
                latencies.Add(Stopwatch.GetElapsedTime(frame.CapturedAt).TotalMilliseconds);
            }
        Assert.Null(journey.Failure);

        var stats = journey.Stats;
        var inference = stats.InferencePercentile(0.5);
        Assert.True(inference > 1000.0 / fps, $"the model ({inference:F0} ms) should be slower than the source ({fps:F0} fps) for this test");
        Assert.True(stats.Dropped > stats.Stylized / 2, $"dropped {stats.Dropped} of {stats.Captured}");
        Assert.True(stats.Captured - stats.Dropped - stats.Shown <= 2, "frames neither shown nor dropped would mean a queue");
        // A captured frame waits at most for the inference in progress, then takes one inference itself, then is shown
        // at once (headless presenter): two inference times plus one capture interval. Medians, so a moment of load
        // from elsewhere on the machine moves both sides alike instead of landing in one tail.
        var latency = Percentiles.Median(latencies);
        var bound = 2 * inference + 1000.0 / fps;
        Assert.True(latency <= bound, $"median latency {latency:F0} ms over the bound {bound:F0} ms");
        // A queue would grow: with the source three times faster than the model, by two thirds of a second every second.
        var third = latencies.Count / 3;
        var (early, late) = (Percentiles.Median(latencies.Take(third)), Percentiles.Median(latencies.TakeLast(third)));
        Assert.True(late <= early + inference, $"latency grew from {early:F0} ms to {late:F0} ms over the run");
    }

    [Fact]
    public void ControlsChangedFromManyThreadsAtOnceLoseNoChange()
    {
        // Keys, the HTTP remote and the watched folder change the controls from their own threads: each change starts
        // from the latest value, so 4 threads × 300 steps of one style end exactly 1,200 steps on, and the strength too.
        using var journey = new LiveJourney(new TestPatternSource(32, 24, 30), [RandomNetworks.Model(Models.Networks.TransformNetConfig.Mobile),
            RandomNetworks.Model(Models.Networks.TransformNetConfig.Mobile), RandomNetworks.Model(Models.Networks.TransformNetConfig.Mobile)], 32, 24, loop: false, strength: 0);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                journey.Change(s => s with { StyleIndex = s.StyleIndex + 1 });
                journey.Change(s => s with { Strength = s.Strength + 1f / 2048 });
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var settings = journey.Settings;
        Assert.Equal(1200 % 3, settings.StyleIndex);
        Assert.Equal(1200f / 2048, settings.Strength, 4);
        journey.Change(s => s with { StyleIndex = -1, Strength = 5, Split = 2 });
        Assert.Equal((2, 1f, 0.99f), (journey.Settings.StyleIndex, journey.Settings.Strength, journey.Settings.Split)); // brought into range, not taken as sent
    }

    [Fact]
    public void SwitchingAmongThreeStylesHundredTimesShowsOnlyWholeFramesAndLeaksNothing()
    {
        var models = new[] { "wave", "udnie", "scream" }.Select(s => StyleModel.Load(TestPaths.Ml5(s), Device.Cpu, Precision.Fp32)).ToArray();
        try
        {
            const int w = 48, h = 32;
            using var journey = new LiveJourney(new TestPatternSource(w, h, 60), models, w, h, loop: false);
            var references = models.Select(m => new BgrFrameStylizer(m, w, h)).ToArray();
            journey.Start();
            long before = 0;
            for (var i = 0; i < 100; i++)
            {
                if (i == 10) before = Memory.Resident();
                var style = i % 3;
                journey.Change(s => s with { StyleIndex = style });
                LiveFrame? frame;
                var waited = Stopwatch.StartNew();
                do frame = journey.TakeLatest(TimeSpan.FromMilliseconds(200));
                while ((frame == null || frame.StyleIndex != style) && waited.Elapsed < TimeSpan.FromSeconds(10));
                Assert.NotNull(frame);
                Assert.True(frame!.Pixels.Average(b => b) > 20, "black frame shown");
                if (i % 10 == 0)
                {
                    // Whole, not torn: the shown frame is exactly this style applied to its own original.
                    var check = (byte[])frame.Original!.Clone();
                    references[style].Stylize(check);
                    Assert.True(check.Zip(frame.Pixels).All(p => Math.Abs(p.First - p.Second) <= 1), $"frame {i} differs from its style's output");
                }
            }
            Assert.Null(journey.Failure);
            Assert.True(Memory.Resident() - before < 16L << 20, "resident memory grew while switching styles");
            foreach (var r in references) r.Dispose();
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }
}
