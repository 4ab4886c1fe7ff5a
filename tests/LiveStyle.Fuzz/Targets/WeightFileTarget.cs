using LiveStyle.Models.Formats;

namespace LiveStyle.Fuzz.Targets;

/// <summary>
/// A .pth (restricted unpickler, zip reader, both of PyTorch's formats) or .safetensors file as `stylize -m FILE`
/// loads it: read under the size limits, names and shapes read, the layout inferred, the values checked.
/// </summary>
public sealed class WeightFileTarget(string extension) : FuzzTarget
{
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds() =>
        extension == ".pth" ? Corpus.PyTorchFiles.Make() : [("tiny.safetensors", Corpus.TinyNetwork.SafeTensors())];

    protected override void Parse(byte[] input) => WeightFiles.Load(AsFile(input, "model" + extension)).CheckValues();
}
