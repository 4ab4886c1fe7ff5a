using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LiveStyle.Tensors.Native;

/// <summary>
/// Finds the project's native shims: beside the assembly (where the build copies them), in
/// LIVESTYLE_NATIVE_DIR, or in the repository's build/native folder when running from a checkout.
/// </summary>
public static class NativeLibraries
{
    public const string DirectoryVariable = "LIVESTYLE_NATIVE_DIR";

    public static void Register(Assembly assembly) =>
        NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => Resolve(name));

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The resolver must be in place before the first P/Invoke, whichever program loads this library.")]
    internal static void RegisterSelf() => Register(typeof(NativeLibraries).Assembly);

    private static IntPtr Resolve(string name)
    {
        if (!name.StartsWith("livestyle_", StringComparison.Ordinal)) return IntPtr.Zero;
        var file = $"lib{name}.so";
        foreach (var dir in CandidateDirectories())
        {
            var path = Path.Combine(dir, file);
            if (File.Exists(path)) return NativeLibrary.Load(path);
        }
        throw new DllNotFoundException(
            $"{file} was not found. Build the native shims first (./livestyle builds them, or run " +
            $"'cmake -S native -B build/native && cmake --build build/native'), or set {DirectoryVariable}.");
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnv)) yield return fromEnv;
        yield return AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "build", "native");
    }
}
