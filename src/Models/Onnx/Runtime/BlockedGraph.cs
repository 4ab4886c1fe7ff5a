using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>
/// ONNX Runtime's optimised graph of a model with its norm-and-pad runs fused (<see cref="BlockedNormRewrite"/>): the
/// runtime optimises the model once more into a file it writes (its C# package offers no other way out), which is read
/// back, rewritten and deleted. The graph holds the blocked layout of this machine's CPU, so it is made where it runs.
/// </summary>
internal static class BlockedGraph
{
    /// <summary>The rewritten graph and how many runs it fused, or null where the CPU has no blocked layout or the graph no run to fuse.</summary>
    public static (byte[] Graph, int Runs)? Of(byte[] model, Func<SessionOptions> options, string what)
    {
        if (BlockSize < 2) return null;
        var path = Path.Combine(Path.GetTempPath(), $"livestyle-optimised-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var optimising = options())
            {
                optimising.OptimizedModelFilePath = path;
                using var session = new InferenceSession(model, optimising);
            }
            var optimised = OnnxWire.Decode(File.ReadAllBytes(path), what);
            return BlockedNormRewrite.Apply(optimised, BlockSize) is { } rewritten
                ? (OnnxWire.Encode(rewritten), rewritten.Graph.Nodes.Count(n => n.Domain == BlockedNormOperator.Domain))
                : null;
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// Channels per block of ONNX Runtime's NCHWc layout on this CPU (16 with AVX-512, 8 with AVX2), found by asking it to
    /// reorder four channels; 0 where it has no such layout.
    /// </summary>
    public static int BlockSize => Block.Value;

    private static readonly Lazy<int> Block = new(() =>
    {
        var graph = new OnnxGraph("block_size", [new OnnxNode("ReorderInput", ["x"], ["y"], [], "reorder", "com.microsoft.nchwc")], [],
            [new OnnxValueInfo("x", (int)OnnxDataType.Float, [1, 4, 1, 1], [null, null, null, null])],
            [new OnnxValueInfo("y", (int)OnnxDataType.Float, [null, null, null, null], ["n", "c", "h", "w"])]);
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(OnnxWire.Encode(new OnnxModel(graph, [("", 17), ("com.microsoft.nchwc", 1)], new Dictionary<string, string>())), options);
            using var input = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 4, 1, 1]);
            using var run = new RunOptions();
            using var outputs = session.Run(run, ["x"], [input], ["y"]);
            return (int)outputs[0].GetTensorTypeAndShape().Shape[1];
        }
        catch (OnnxRuntimeException) { return 0; }
    });
}
