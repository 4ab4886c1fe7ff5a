using System.Diagnostics;

namespace LiveStyle.Tests.Support;

/// <summary>Waiting for a positive signal (a file appears, a server answers) instead of sleeping a guessed time.</summary>
public static class Poll
{
    /// <summary>Checks every 100 ms until <paramref name="condition"/> holds; false if <paramref name="timeout"/> passes or <paramref name="gaveUp"/> says waiting is pointless (the process ended).</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, Func<bool>? gaveUp = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            if (gaveUp?.Invoke() == true) return condition();
            Thread.Sleep(100);
        }
        return condition();
    }

    /// <summary>A file in <paramref name="folder"/> matching <paramref name="pattern"/> holds at least one byte: work has started writing it.</summary>
    public static bool Writing(string folder, string pattern) => Directory.GetFiles(folder, pattern).Any(f => new FileInfo(f).Length > 0);
}
