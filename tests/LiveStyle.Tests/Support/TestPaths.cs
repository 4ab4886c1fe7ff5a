namespace LiveStyle.Tests.Support;

/// <summary>Where the repository and the shared data (LIVESTYLE_SHARED, default ../shared beside the repo) are.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared { get; } = Environment.GetEnvironmentVariable("LIVESTYLE_SHARED") is { Length: > 0 } s
        ? Path.GetFullPath(s)
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The model mirror's root: one folder per catalog collection (ml5/, windows-ml/).</summary>
    public static string ModelsMirror => Path.Combine(Shared, "models");
    public static string Ml5Mirror => Path.Combine(ModelsMirror, "ml5");
    public static string Ml5(string style) => Path.Combine(Ml5Mirror, style);
    public static string WindowsMl(string file) => Path.Combine(Shared, "models", "windows-ml", file);
    public static string ContentImage(string name) => Path.Combine(Shared, "images", "content", name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LiveStyle.sln"))) return dir.FullName;
        throw new InvalidOperationException("LiveStyle.sln not found above the test assembly");
    }
}

/// <summary>A temporary folder removed at the end of the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "livestyle-test-" + Guid.NewGuid().ToString("N")[..10]);

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>A writable copy of a (read-only) shared folder, for tests that damage it.</summary>
    public string CopyOf(string folder, string name)
    {
        var target = this[name];
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(folder)) File.Copy(f, System.IO.Path.Combine(target, System.IO.Path.GetFileName(f)));
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
