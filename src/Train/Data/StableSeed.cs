namespace LiveStyle.Train.Data;

/// <summary>
/// Seeds derived from several numbers, the same in every process. <see cref="HashCode.Combine{T1,T2}"/> is
/// randomised per process, so a run resumed in a new process would draw other batches than the run it continues.
/// </summary>
public static class StableSeed
{
    public static int Of(params ReadOnlySpan<long> parts)
    {
        var state = 0x9E3779B97F4A7C15UL;
        foreach (var part in parts) state = Mix(state ^ (ulong)part);
        return (int)(state >> 33);
    }

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
