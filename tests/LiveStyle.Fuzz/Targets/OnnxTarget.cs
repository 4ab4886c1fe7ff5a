using LiveStyle.Models.Formats;

namespace LiveStyle.Fuzz.Targets;

/// <summary>An .onnx file as `stylize -m FILE` reads it before ONNX Runtime sees it: protobuf decoding under its bounds, external data refused, initializers checked, LiveStyle's own export and Johnson's layout recognised.</summary>
public sealed class OnnxTarget : FuzzTarget
{
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds() => [("tiny.onnx", Corpus.TinyNetwork.Onnx())];

    protected override void Parse(byte[] input) => OnnxModelFile.Read(AsFile(input, "model.onnx")).Weights?.CheckValues();
}
