using System.Collections.Concurrent;

namespace LiveStyle.Tensors;

/// <summary>Source indices that reflect or replicate a border: for n = 4 and pad 2, reflect gives 2 1 | 0 1 2 3 | 2 1.</summary>
internal static class BorderIndex
{
    private static readonly ConcurrentDictionary<(long, int, int, PaddingMode), long[]> Cache = new();

    public static long[] Of(long n, int before, int after, PaddingMode mode) =>
        Cache.GetOrAdd((n, before, after, mode), key =>
        {
            var (length, b, a, m) = key;
            return Enumerable.Range(-b, (int)length + b + a).Select(i => Map(i, length, m)).ToArray();
        });

    private static long Map(long i, long n, PaddingMode mode)
    {
        if (mode == PaddingMode.Replicate || n == 1) return Math.Clamp(i, 0, n - 1);
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }
}
