namespace LiveStyle.Pipeline.Measure;

/// <summary>
/// The one rule for percentiles and medians of timings and measurements: linear interpolation between the two nearest
/// ranks (numpy's default), so the median of an even count is the mean of the middle two.
/// </summary>
public static class Percentiles
{
    /// <summary>Percentile <paramref name="p"/> (0..1) of values already sorted ascending; NaN when there are none.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty) return double.NaN;
        var rank = Math.Clamp(p, 0, 1) * (sorted.Length - 1);
        var below = (int)rank;
        return below + 1 < sorted.Length ? sorted[below] + (sorted[below + 1] - sorted[below]) * (rank - below) : sorted[below];
    }

    public static double Median(IEnumerable<double> values) => OfSorted(values.Order().ToArray(), 0.5);
}
