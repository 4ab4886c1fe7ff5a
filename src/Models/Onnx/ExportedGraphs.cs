using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using LiveStyle.Files;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Store;

namespace LiveStyle.Models.Onnx;

/// <summary>
/// Networks exported to ONNX, kept in the model cache: exporting builds the network in libtorch, and loading libtorch
/// is most of a short process's start (docs/BENCHMARKS.md), so a second start reads the graph instead. The key is the
/// SHA-256 of everything the export reads (the metadata and every weight) and of the build of the exporter itself.
/// </summary>
public sealed class ExportedGraphs(string folder)
{
    private readonly DiskCache _cache = new(folder, ModelLimits.MaxFileBytes);

    public static ExportedGraphs In(ModelStore store) => new(Path.Combine(store.CacheDirectory, "graphs"));

    public byte[] Of(Weights weights) => _cache.GetOrAdd(Key(weights), "onnx", () => OnnxExport.ToBytes(weights));

    public static string Key(Weights weights)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\0"));
        Text(typeof(OnnxExport).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var (k, v) in weights.Info.ToMetadata().OrderBy(kv => kv.Key, StringComparer.Ordinal)) Text($"{k}={v}");
        foreach (var (name, tensor) in weights.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Text($"{name}[{string.Join(",", tensor.Shape)}]");
            hash.AppendData(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
        }
        var readable = new string(weights.Info.Style.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(40).ToArray());
        return $"{readable}-{Convert.ToHexStringLower(hash.GetHashAndReset())[..32]}";
    }
}
