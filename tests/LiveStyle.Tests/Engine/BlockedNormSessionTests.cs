using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Models.Onnx.Runtime;
using LiveStyle.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// Magenta's transformer with its norm-and-pad runs rewritten into LiveStyle's blocked operator must compute what ONNX
/// Runtime computes with its own operators, on the same graph, in the same process; and a failure inside the operator
/// must come back as an error of the run, not end the process.
/// </summary>
public sealed class BlockedNormSessionTests
{
    [Theory]
    [InlineData(8, 640, 480)]
    [InlineData(8, 321, 241)]
    [InlineData(32, 200, 136)]
    public void FusedSessionComputesWhatOnnxRuntimeComputes(int firstChannels, int width, int height)
    {
        var config = TransformNetConfig.Magenta with { Channels = [firstChannels, 2 * firstChannels, 4 * firstChannels] };
        var graph = OnnxExport.ToBytes(RandomNetworks.Lively(config, seed: 5));
        using var plain = OnnxNetwork.Create(graph, 2, "plain");
        using var fused = OnnxNetwork.Create(graph, 2, "fused", blockedNorms: true);
        Assert.Equal(0, plain.FusedRuns);
        // Every run between two convolutions (three in the encoder, two in each of five residual blocks, two in the
        // decoder) and the network's end.
        Assert.Equal(16, fused.FusedRuns);

        var input = new float[3 * width * height];
        var random = new Random(2);
        for (var i = 0; i < input.Length; i++) input[i] = random.Next(256);
        var (expected, actual) = (new float[input.Length], new float[input.Length]);
        using (var binding = plain.Bind(width, height)) binding.Run(input, expected);
        using (var binding = fused.Bind(width, height))
        {
            binding.Run(input, actual);
            binding.Run(input, actual);
        }
        // The output is 255·sigmoid(z), at most 64 levels per unit of z; both sides are float32 sums of the same terms in
        // other orders through sixteen layers, a few parts in a million of z, so 0.01 levels is a wide margin, and a
        // wrong lane, pad or phase moves values by tens of levels.
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 0.01, $"the fused session differs from ONNX Runtime's by up to {worst} levels");
        Assert.True(expected.Zip(input, (e, x) => Math.Abs(e - x)).Average() > 5, "the random network left the image as it was: nothing was compared");
    }

    [Fact]
    public void UpsamplingConvolutionsMultiplyOnlyTheirWindows()
    {
        // Both decoder convolutions (nearest ×2, then 3x3) leave 5 of each phase's 9 taps zero; fused, they are 2x2
        // convolutions whose phases the following run reads at their offsets.
        var nodes = FusedNodes(RandomNetworks.Lively(TransformNetConfig.Magenta, seed: 5));
        var offset = nodes.Where(n => n.OpType == "BlockedNorm" && n.Attribute("phase_offsets")!.I == 1).ToList();
        Assert.Equal(2, offset.Count);
        foreach (var norm in offset)
            Assert.Equal([2L, 2], nodes.Single(n => n.Outputs.Contains(norm.Inputs[0])).Attribute("kernel_shape")!.Ints!);
    }

    [Fact]
    public void TheLastConvolutionReadsPhasesAndGives4x4Phases()
    {
        // The 9x9 convolution into 3 channels, exported as a 10x10 stride-2 one over the padded image, reads that image
        // as 2x2 phases from the run before it and gives 4x4 phases (three whole blocks) to the network's end.
        var nodes = FusedNodes(RandomNetworks.Lively(TransformNetConfig.Magenta, seed: 5));
        var phases = Assert.Single(nodes, n => n.OpType == "BlockedNorm" && n.Attribute("phase_output")!.I == 1);
        var conv = Assert.Single(nodes, n => n.Inputs.Contains(phases.Outputs[0]));
        Assert.Equal([6L, 6], conv.Attribute("kernel_shape")!.Ints!);
        var end = Assert.Single(nodes, n => n.OpType == "BlockedNorm" && n.Inputs[0] == conv.Outputs[0]);
        Assert.Equal(4, end.Attribute("shuffle")!.I);
    }

    [Fact]
    public void PaintingModelsRunFusedAndOthersDoNot()
    {
        using var painting = StyleModel.FromWeights(RandomNetworks.Lively(TransformNetConfig.Magenta, seed: 1), Tensors.Device.Cpu, Precision.Fp32, engine: Models.Inference.Engine.Onnx);
        using var johnson = StyleModel.FromWeights(RandomNetworks.Lively(TransformNetConfig.Slim, seed: 1), Tensors.Device.Cpu, Precision.Fp32, engine: Models.Inference.Engine.Onnx);
        Assert.Equal(16, ((OnnxEngine)painting.Engine).FusedRuns);
        Assert.Equal(0, ((OnnxEngine)johnson.Engine).FusedRuns);
    }

    /// <summary>The nodes of the rewritten graph a fused session runs.</summary>
    private static IReadOnlyList<OnnxNode> FusedNodes(Models.Formats.Weights weights)
    {
        var options = () => new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        var fused = BlockedGraph.Of(OnnxExport.ToBytes(weights), options, "magenta");
        Assert.NotNull(fused);
        return OnnxWire.Decode(fused.Value.Graph, "fused").Graph.Nodes;
    }

    [Fact]
    public void AFailureInsideTheOperatorIsAnErrorOfTheRun()
    {
        // A reflection by 4 on a 2x2 image: the kernel refuses it, and the session's Run reports that.
        var block = BlockedGraph.BlockSize;
        Assert.True(block > 1, "ONNX Runtime has no blocked layout on this CPU");
        var node = new OnnxNode("BlockedNorm", ["blocked", "", "", ""], ["y"],
        [
            OnnxAttribute.Of("block", (long)block), OnnxAttribute.Of("channels", (long)block), OnnxAttribute.Of("norm", 0L), OnnxAttribute.Of("epsilon", 0f),
            OnnxAttribute.Of("residual", 0L), OnnxAttribute.Of("relu", 0L), OnnxAttribute.Of("shuffle", 1L), OnnxAttribute.Of("pad_top", 4L),
            OnnxAttribute.Of("pad_left", 4L), OnnxAttribute.Of("pad_bottom", 4L), OnnxAttribute.Of("pad_right", 4L), OnnxAttribute.Of("edge", 0L),
            OnnxAttribute.Of("blocked_output", 0L), OnnxAttribute.Of("residual_top", 0L), OnnxAttribute.Of("residual_left", 0L),
            OnnxAttribute.Of("sigmoid_scale", 0f), OnnxAttribute.Of("phase_offsets", 0L), OnnxAttribute.Of("phase_output", 0L),
        ], "norm", BlockedNormOperator.Domain);
        var graph = new OnnxGraph("failing", [new OnnxNode("ReorderInput", ["x"], ["blocked"], [], "reorder", "com.microsoft.nchwc"), node], [],
            [new OnnxValueInfo("x", 1, [1, block, 2, 2], [null, null, null, null])], [new OnnxValueInfo("y", 1, [null, null, null, null], ["n", "c", "h", "w"])]);
        var model = OnnxWire.Encode(new OnnxModel(graph, [("", 17), ("com.microsoft.nchwc", 1), (BlockedNormOperator.Domain, 1)], new Dictionary<string, string>()));
        using var options = new SessionOptions();
        BlockedNormOperator.AddTo(options);
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(new float[block * 4], [1, block, 2, 2]);
        using var run = new RunOptions();
        var e = Assert.Throws<OnnxRuntimeException>(() => session.Run(run, ["x"], [input], ["y"]).Dispose());
        Assert.Contains("reflection pad of 4 on an image of 2x2", e.Message);
        // The session is still usable afterwards: the next run fails the same way instead of crashing.
        Assert.Throws<OnnxRuntimeException>(() => session.Run(run, ["x"], [input], ["y"]).Dispose());
    }
}
