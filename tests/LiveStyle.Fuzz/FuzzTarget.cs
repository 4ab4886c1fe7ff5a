using LiveStyle.Files;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;

namespace LiveStyle.Fuzz;

/// <summary>
/// One parser entry point as the command line reaches it, with the command line's limits. A clean refusal (the
/// exceptions the CLI turns into one line for a bad file) is a pass; anything else escaping <see cref="Run"/> is a
/// finding: afl-fuzz records the input as a crash.
/// </summary>
public abstract class FuzzTarget : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livestyle-fuzz-").FullName;

    /// <summary>Valid inputs made here, the corpus afl-fuzz starts from.</summary>
    public abstract IEnumerable<(string Name, byte[] Bytes)> Seeds();

    /// <summary>Parses the input; refusals are swallowed, everything else propagates.</summary>
    public void Run(byte[] input)
    {
        try { Parse(input); }
        catch (Exception e) when (IsRefusal(e)) { }
        catch (Exception e) when (Environment.GetEnvironmentVariable("LIVESTYLE_FUZZ_LOG") is { Length: > 0 } log)
        {
            // A finding that depends on what came before in this long-lived process may not replay alone: its exception
            // is kept here (scripts/fuzz.sh sets the file) before afl-fuzz records the input.
            File.AppendAllText(log, $"{DateTime.UtcNow:O} {e}\n\n");
            throw;
        }
    }

    /// <summary>"accepted", "refused: …" or the unexpected exception, for replaying saved inputs.</summary>
    public string Outcome(byte[] input)
    {
        try
        {
            Parse(input);
            return "accepted";
        }
        catch (Exception e) when (IsRefusal(e)) { return $"refused: {e.Message.Split('\n')[0]}"; }
        catch (Exception e) { return $"FINDING {e.GetType().Name}: {e.Message.Split('\n')[0]}"; }
    }

    protected abstract void Parse(byte[] input);

    /// <summary>What a bad file may end in: the format exceptions, stricter than the CLI's whole list (no ArgumentException, no bare IOException).</summary>
    protected virtual bool IsRefusal(Exception e) => e is ModelFormatException or ImageException or InputFileException;

    /// <summary>The input written where the CLI would read it from (under this target's own temporary folder).</summary>
    protected string AsFile(byte[] input, string name)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, input);
        return path;
    }

    protected string Folder => _folder;

    public virtual void Dispose() => Directory.Delete(_folder, recursive: true);
}

public static class FuzzTargets
{
    private static readonly (string Name, Func<FuzzTarget> Make)[] Known =
    [
        ("pth", () => new Targets.WeightFileTarget(".pth")),
        ("safetensors", () => new Targets.WeightFileTarget(".safetensors")),
        ("ml5", () => new Targets.Ml5Target()),
        ("onnx", () => new Targets.OnnxTarget()),
        ("tflite", () => new Targets.TfliteTarget()),
        ("image", () => new Targets.ImageTarget()),
        ("http", () => new Targets.HttpTarget()),
    ];

    public static IEnumerable<string> Names => Known.Select(k => k.Name);

    public static FuzzTarget? Find(string name) => Known.FirstOrDefault(k => k.Name == name).Make?.Invoke();
}
