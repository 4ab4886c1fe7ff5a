using System.Diagnostics;

namespace LiveStyle.Tests.Support;

public static class Memory
{
    /// <summary>This process's resident memory after a full collection (finalizers run, so only live data remains).</summary>
    public static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }
}
