using LiveStyle.Models.Formats.Tflite;

namespace LiveStyle.Fuzz.Targets;

/// <summary>A .tflite flatbuffer as `models info` reads it: the flatbuffer reader, then Magenta's predictor or transformer layout.</summary>
public sealed class TfliteTarget : FuzzTarget
{
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds() =>
        [("conv.tflite", Corpus.TfliteWriter.OneConvolution(inputs: 1)), ("two-inputs.tflite", Corpus.TfliteWriter.OneConvolution(inputs: 2))];

    protected override void Parse(byte[] input) => TfliteLayouts.Describe(AsFile(input, "model.tflite"));
}
