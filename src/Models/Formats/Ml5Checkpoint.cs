using System.Buffers.Binary;
using System.Text.Json;
using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Formats;

/// <summary>
/// ml5.js / deeplearn.js checkpoints of lengstrom/fast-style-transfer networks: manifest.json names
/// each variable's file and shape; files are raw little-endian float32. Variables come in creation
/// order, three per layer: conv kernel [kh, kw, in, out] (transposed convs [kh, kw, out, in]),
/// instance-norm shift, instance-norm scale.
/// </summary>
public static class Ml5Checkpoint
{
    public const string ManifestName = "manifest.json";

    /// <summary>Layer (conv, norm) names in the order fast-style-transfer creates their variables.</summary>
    public static IReadOnlyList<(string Conv, string Norm, bool Transposed)> Layers { get; } = BuildLayers();

    private static List<(string, string, bool)> BuildLayers()
    {
        var layers = new List<(string, string, bool)> { ("conv1", "in1", false), ("conv2", "in2", false), ("conv3", "in3", false) };
        for (var i = 1; i <= 5; i++)
        {
            layers.Add(($"res{i}.conv1", $"res{i}.in1", false));
            layers.Add(($"res{i}.conv2", $"res{i}.in2", false));
        }
        layers.Add(("deconv1", "in4", true));
        layers.Add(("deconv2", "in5", true));
        layers.Add(("deconv3", "in6", false));
        return layers;
    }

    public static bool IsCheckpointFolder(string path) => File.Exists(Path.Combine(path, ManifestName));

    private const long MaxManifestBytes = 1 << 20;

    public static Dictionary<string, HostTensor> Read(string folder)
    {
        var manifest = ReadManifest(folder);
        var weights = new Dictionary<string, HostTensor>();
        for (var layer = 0; layer < Layers.Count; layer++)
        {
            var (conv, norm, _) = Layers[layer];
            var kernel = ReadVariable(folder, manifest, 3 * layer, rank: 4);
            weights[$"{conv}.conv2d.weight"] = kernel.Permute(3, 2, 0, 1); // [kh,kw,a,b] -> [b,a,kh,kw] for conv and transposed conv alike
            weights[$"{norm}.bias"] = ReadVariable(folder, manifest, 3 * layer + 1, rank: 1);
            weights[$"{norm}.weight"] = ReadVariable(folder, manifest, 3 * layer + 2, rank: 1);
        }
        if (manifest.Count != 3 * Layers.Count)
            throw new ModelFormatException($"{folder}: manifest lists {manifest.Count} variables; a fast-style-transfer network has {3 * Layers.Count}");
        return weights;
    }

    public static string VariableName(int index) => index == 0 ? "Variable" : $"Variable_{index}";

    private static Dictionary<string, (string File, long[] Shape)> ReadManifest(string folder)
    {
        var path = Path.Combine(folder, ManifestName);
        try
        {
            var file = new FileInfo(path);
            if (file.LinkTarget != null || file.Length > MaxManifestBytes)
                throw new ModelFormatException($"{path} is not an ml5 manifest (a link, or over {MaxManifestBytes:N0} bytes)");
            using var doc = JsonDocument.Parse(Files.InputFile.ReadAll(path, MaxManifestBytes, "an ml5 manifest"));
            return doc.RootElement.EnumerateObject().ToDictionary(
                v => v.Name,
                v => (v.Value.GetProperty("filename").GetString() ?? throw new FormatException(),
                      v.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"cannot read {path}: {e.Message}", e);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ModelFormatException($"{path} is not an ml5 checkpoint manifest (expected {{name: {{filename, shape}}}})", e);
        }
    }

    private static HostTensor ReadVariable(string folder, Dictionary<string, (string File, long[] Shape)> manifest, int index, int rank)
    {
        var name = VariableName(index);
        if (!manifest.TryGetValue(name, out var entry))
            throw new ModelFormatException($"{folder}: manifest has no {name}; not a complete fast-style-transfer checkpoint");
        if (entry.Shape.Length != rank)
            throw new ModelFormatException($"{folder}: {name} has shape [{string.Join(", ", entry.Shape)}], expected {rank} dimensions");
        if (entry.File.Contains('/') || entry.File.Contains('\\') || entry.File.StartsWith('.'))
            throw new ModelFormatException($"{folder}: {name} points outside the checkpoint folder ({entry.File})");
        var path = Path.Combine(folder, entry.File);
        var file = new FileInfo(path);
        if (!file.Exists) throw new ModelFormatException($"{folder}: variable file {entry.File} is missing");
        // A link could point anywhere (another user's file, /dev/zero); the checkpoint's own files are plain files.
        if (file.LinkTarget != null) throw new ModelFormatException($"{path} is a symbolic link; a checkpoint's variables must be files in its folder");
        var count = ModelLimits.CheckElements(entry.Shape, $"{folder}: {name}");
        if (file.Length != count * 4)
            throw new ModelFormatException($"{path} holds {file.Length} bytes; shape [{string.Join(", ", entry.Shape)}] needs {count * 4}");
        var bytes = count == 0 ? [] : Files.InputFile.ReadAll(path, count * 4, "an ml5 variable");
        if (bytes.Length != count * 4) throw new ModelFormatException($"{path} changed while it was read");
        var data = new float[count];
        for (var i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return new HostTensor(entry.Shape, data);
    }

    /// <summary>The configuration these checkpoints describe.</summary>
    public static TransformNetConfig Config => TransformNetConfig.FastStyleTransfer;
}
