namespace LiveStyle.Tensors;

/// <summary>An error reported by libtorch, carrying its message (first line is the useful one).</summary>
public sealed class TorchException(string message) : Exception(FirstLine(message))
{
    public string FullMessage { get; } = message;

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "libtorch error" : line;
    }
}
