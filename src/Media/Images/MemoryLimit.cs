using LiveStyle.Files;

namespace LiveStyle.Media.Images;

/// <summary>
/// The most memory one command may plan to use: three quarters of the machine's (or its container's) memory by
/// default, raised or lowered with LIVESTYLE_MAX_MEMORY (bytes). Each command estimates what a size will need
/// (network activations included, docs/LIMITS.md) and asks here before any buffer of that size exists.
/// </summary>
public static class MemoryLimit
{
    public const string Variable = "LIVESTYLE_MAX_MEMORY";

    public static long Default => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

    public static long Max => EnvironmentLimit.Read(Variable, Default);

    /// <summary>Throws <see cref="ImageException"/> when <paramref name="bytes"/> is over the limit; <paramref name="what"/> names the work ("stylizing 8000x8000 with wave").</summary>
    public static void Check(long bytes, string what)
    {
        if (bytes > Max)
            throw new ImageException($"{what} needs about {Gigabytes(bytes)} of memory, over the limit of {Gigabytes(Max)} (set {Variable} in bytes to raise it, or pass a smaller size)");
    }

    private static string Gigabytes(long bytes) => $"{bytes / (double)(1L << 30):0.0} GB";
}
