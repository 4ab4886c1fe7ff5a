namespace LiveStyle.Files;

/// <summary>A limit the user may change through an environment variable: a positive whole number, else the default.</summary>
public static class EnvironmentLimit
{
    public static long Read(string variable, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), out var n) && n > 0 ? n : fallback;
}
