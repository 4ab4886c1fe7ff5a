using System.Runtime.InteropServices;

namespace LiveStyle.Media;

/// <summary>
/// The lowest scheduling priority (nice 19) for work that shares a small CPU with inference: a decoder or encoder that
/// preempts one thread of a parallel computation stalls every thread at the next barrier, costing far more than its
/// own CPU time; at the lowest priority it runs in the gaps (one-threaded operators, hand-overs) and waits otherwise.
/// </summary>
public static class LowPriority
{
    private const int PrioProcess = 0, Nice = 19;

    [DllImport("libc")] private static extern int setpriority(int which, int who, int priority);
    [DllImport("libc")] private static extern int gettid();

    /// <summary>Lowers a child process (all of its threads to come).</summary>
    public static void Process(int pid) => setpriority(PrioProcess, pid, Nice);

    /// <summary>
    /// Lowers the calling thread only: Linux keeps a nice value per thread. Elsewhere, or with a C library older than
    /// gettid (glibc 2.30), it does nothing: the work is the same, only less polite.
    /// </summary>
    public static void CurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { setpriority(PrioProcess, gettid(), Nice); }
        catch (EntryPointNotFoundException) { }
    }
}
