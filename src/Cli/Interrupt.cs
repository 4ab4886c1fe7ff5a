using System.Runtime.InteropServices;
using LiveStyle.Models.Inference;

namespace LiveStyle.Cli;

/// <summary>
/// Ctrl+C and SIGTERM. The first asks the command to stop: its token is cancelled and ONNX Runtime's runs are told to
/// end (<see cref="InferenceInterrupt"/>); the command finishes its current step, cleans up and exits 130. The
/// process never returns from Main while libtorch or ONNX Runtime still works on another thread (that is what made
/// a stopped `paint` crash). A second signal ends the process at once, without running anything more.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;

    public Interrupt()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _source.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _count) > 1)
        {
            if (!OperatingSystem.IsWindows()) Exit(ErrorReporter.Interrupted);
            context.Cancel = false;
            return;
        }
        Console.Error.WriteLine();
        Console.Error.WriteLine("livestyle: stopping (Ctrl+C again to quit at once)");
        _source.Cancel();
        InferenceInterrupt.Raise();
    }

    /// <summary>The process ends here and now: no finalisers, no native library's exit handlers racing a worker thread.</summary>
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
