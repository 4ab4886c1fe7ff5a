using LiveStyle.Pipeline.Live;
using LiveStyle.Pipeline.Measure;

namespace LiveStyle.Tests.Metrics;

/// <summary>Benchmarks, live statistics and tests read medians and percentiles through one rule.</summary>
public sealed class PercentilesTests
{
    [Fact]
    public void TheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(2, Percentiles.Median([3.0, 1, 2]));
        Assert.Equal(2.5, Percentiles.Median([4.0, 1, 3, 2]));
        Assert.Equal(19.5, Percentiles.OfSorted([10.0, 20], 0.95), 9);
        Assert.True(double.IsNaN(Percentiles.Median([])));
    }

    [Fact]
    public void TheLiveWindowAgreesWithBenchmarks()
    {
        var window = new SampleWindow(8);
        double[] samples = [9, 1, 7, 3, 5, 11, 2, 4, 6, 8]; // the first two fall out of the window
        foreach (var s in samples) window.Add(s);
        var kept = samples[2..];
        Assert.Equal(Percentiles.Median(kept), window.Percentile(0.5));
        Assert.Equal(Percentiles.OfSorted(kept.Order().ToArray(), 0.95), window.Percentile(0.95));
    }
}
