using LiveStyle.Capture.Sources;
using LiveStyle.Media.Images;
using LiveStyle.Media.Video;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Store;
using LiveStyle.Tensors;

namespace LiveStyle.Cli;

/// <summary>Turns any failure into one line on stderr and an exit code; the stack trace only with --verbose.</summary>
public static class ErrorReporter
{
    public const int Failure = 1;
    public const int Interrupted = 130;
    public const int InternalError = 70;
    private const int MaxLine = 2000;

    public static int Report(Exception e, bool verbose)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerException!;
        var (code, line) = e switch
        {
            OperationCanceledException => (Interrupted, "interrupted"),
            ModelFormatException or Models.Onnx.InferenceException or ImageException or StoreException or StateDictException or TorchException
                or ArgumentException or IOException or UnauthorizedAccessException or CliException or VideoException or SourceException or Render.Sinks.SinkException or Train.Data.TrainingException or Pipeline.Parts.PartException or Pipeline.Measure.MeasurementException or DllNotFoundException => (Failure, e.Message),
            _ => (InternalError, $"internal error: {e.Message} (run with --verbose for details)"),
        };
        // Messages quote names from files (pickle globals, tensor names, keys): shown through the one sanitiser, never raw.
        Console.Error.WriteLine($"livestyle: {ModelInfo.Sanitize(line, MaxLine)}");
        if (verbose) Console.Error.WriteLine(e);
        return code;
    }

    public static string OneLine(Exception e) => e.Message.Split('\n', 2)[0];
}

/// <summary>A usage or input problem the command found itself; the message is what the user should read.</summary>
public sealed class CliException(string message) : Exception(message);
