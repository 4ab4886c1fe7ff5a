namespace LiveStyle.Models.Inference;

/// <summary>
/// The process's Ctrl+C as ONNX Runtime hears it: a run inside the runtime does not look at .NET's tokens, so every
/// binding asks the runtime to stop (RunOptions.Terminate) when this is raised, and the run ends in an
/// <see cref="OperationCanceledException"/>. The command line raises it on the first SIGINT or SIGTERM.
/// </summary>
public static class InferenceInterrupt
{
    private static readonly CancellationTokenSource Source = new();

    public static CancellationToken Token => Source.Token;

    public static void Raise() => Source.Cancel();
}
