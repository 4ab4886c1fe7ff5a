using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LiveStyle.Pipeline.Measure;

/// <summary>Runs one of the bench/pytorch_*.py scripts (copied beside the CLI) with Debian's python3-torch, for same-run comparisons.</summary>
public static class PyTorchReference
{
    public const string PythonVariable = "LIVESTYLE_PYTHON";

    /// <summary>The script's JSON result, or PyTorch's own last error line when it cannot run this configuration.</summary>
    public static (JsonNode? Result, string? Error) Run(string script, params string[] args)
    {
        var python = Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } p ? p : "/usr/bin/python3";
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, script));
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new MeasurementException($"cannot start {python} for the PyTorch comparison: {e.Message} (install python3-torch)"); }
        using var _ = process;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var lastLine = stderr.Trim().Split('\n').LastOrDefault() ?? "";
        if (lastLine.Contains("ModuleNotFoundError") || lastLine.Contains("No such file"))
            throw new MeasurementException($"PyTorch comparison needs python3-torch ({python}): {lastLine}");
        return process.ExitCode == 0 ? (JsonNode.Parse(stdout.Result), null) : (null, lastLine);
    }
}

/// <summary>A measurement that cannot be made here (its comparison's tools missing); the message says what to install.</summary>
public sealed class MeasurementException(string message) : Exception(message);
