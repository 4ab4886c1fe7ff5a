using LiveStyle.Models.Formats;

namespace LiveStyle.Fuzz.Targets;

/// <summary>
/// An ml5.js checkpoint folder: the input up to its first zero byte is manifest.json, the rest is the file "data"
/// (the seed's manifest names it for every variable, so one input reaches both the manifest and the variable reader).
/// </summary>
public sealed class Ml5Target : FuzzTarget
{
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var entries = new List<string>();
        for (var layer = 0; layer < Ml5Checkpoint.Layers.Count; layer++)
        {
            entries.Add($"\"{Ml5Checkpoint.VariableName(3 * layer)}\":{{\"filename\":\"data\",\"shape\":[1,1,1,1]}}");
            entries.Add($"\"{Ml5Checkpoint.VariableName(3 * layer + 1)}\":{{\"filename\":\"data\",\"shape\":[1]}}");
            entries.Add($"\"{Ml5Checkpoint.VariableName(3 * layer + 2)}\":{{\"filename\":\"data\",\"shape\":[1]}}");
        }
        var manifest = System.Text.Encoding.UTF8.GetBytes("{" + string.Join(",", entries) + "}");
        yield return ("ones.bin", [.. manifest, 0, .. BitConverter.GetBytes(1f)]);
    }

    protected override void Parse(byte[] input)
    {
        var split = Array.IndexOf(input, (byte)0);
        var manifest = split < 0 ? input : input[..split];
        var data = split < 0 ? [] : input[(split + 1)..];
        var folder = Path.Combine(Folder, "ml5");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, Ml5Checkpoint.ManifestName), manifest);
        File.WriteAllBytes(Path.Combine(folder, "data"), data);
        WeightFiles.Load(folder).CheckValues();
    }
}
