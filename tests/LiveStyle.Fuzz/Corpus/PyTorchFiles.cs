using System.Diagnostics;

namespace LiveStyle.Fuzz.Corpus;

/// <summary>Small state dicts saved by PyTorch itself (Debian's python3-torch), in its zip format and its legacy one.</summary>
public static class PyTorchFiles
{
    /// <summary>argv[1]: the folder; argv[2]: {name: shape} of the tiny network, so the seeds load all the way.</summary>
    private const string Script = """
        import json, sys, torch
        from collections import OrderedDict
        shapes = json.loads(sys.argv[2])
        state = OrderedDict((name, torch.linspace(-1, 1, max(1, int(torch.tensor(shape).prod()))).reshape(shape)) for name, shape in shapes.items())
        torch.save(state, sys.argv[1] + "/zip.pth")
        torch.save(state, sys.argv[1] + "/legacy.pth", _use_new_zipfile_serialization=False)
        state["conv1.conv2d.weight"] = state["conv1.conv2d.weight"].t() if state["conv1.conv2d.weight"].dim() == 2 else state["conv1.conv2d.weight"].permute(0, 1, 3, 2)
        torch.save(state, sys.argv[1] + "/strided.pth")
        """;

    public static IEnumerable<(string Name, byte[] Bytes)> Make()
    {
        var folder = Directory.CreateTempSubdirectory("livestyle-fuzz-pth-").FullName;
        try
        {
            var python = Environment.GetEnvironmentVariable("LIVESTYLE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";
            using var run = Process.Start(new ProcessStartInfo(python) { ArgumentList = { "-c", Script, folder, TinyNetwork.ShapesJson() }, RedirectStandardError = true })!;
            var err = run.StandardError.ReadToEnd();
            run.WaitForExit();
            if (run.ExitCode != 0) throw new InvalidOperationException($"{python} could not save the seeds (python3-torch installed?): {err}");
            return Directory.GetFiles(folder).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToList();
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
