namespace LiveStyle.Pipeline.Live;

/// <summary>The most recent timing samples in a fixed ring, with percentiles (<see cref="Measure.Percentiles"/>); nothing allocated. Not thread-safe.</summary>
public sealed class SampleWindow(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _count, _next;

    public void Add(double v)
    {
        _values[_next] = v;
        _next = (_next + 1) % _values.Length;
        _count = Math.Min(_count + 1, _values.Length);
    }

    public double Percentile(double p)
    {
        if (_count == 0) return 0;
        Array.Copy(_values, _sorted, _count);
        Array.Sort(_sorted, 0, _count);
        return Measure.Percentiles.OfSorted(_sorted.AsSpan(0, _count), p);
    }
}
