using LiveStyle.Models.Onnx;
using LiveStyle.Models.Onnx.Runtime;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// The last 9x9 convolution is recast over 2x2 phases only when it is exactly the exporter's phased form (each output
/// phase the same 9x9 kernel shifted by its phase, one bias per channel) in ONNX Runtime's plain-input weight layout with
/// blocks of 16; whether the recast computes the same is <see cref="BlockedNormSessionTests"/>' business.
/// </summary>
public sealed class QuarterPhaseConvTests
{
    private const int Block = 16, Inputs = 8, Outputs = 12;

    [Fact]
    public void ThePhasedConvolutionBecomesSixBySixOverPhases()
    {
        var (weights, bias) = Phased(new Random(5));
        var result = QuarterPhaseConv.Of(Conv(), "phases", Outputs, Initializers(weights, bias), Block);
        Assert.NotNull(result);
        var (conv, w, b) = result.Value;
        Assert.Equal(["phases", w.Name, b.Name], conv.Inputs);
        Assert.Equal([6L, 6], conv.Attribute("kernel_shape")!.Ints!);
        Assert.Equal([2L, 2], conv.Attribute("strides")!.Ints!);
        Assert.Equal([48L, 4 * Inputs, 6, 6], w.Dims);
        // Each of channel c's sixteen phases has its bias.
        Assert.Equal(Enumerable.Range(0, 48).Select(o => bias[4 * (o / 16)]), b.Floats!);
        // Every tap of the 9x9 kernel lands once in each phase: 81 of the 144 taps per input channel and phase are used.
        var used = w.Floats!.Count(v => v != 0);
        Assert.Equal(48 * Inputs * 81, used);
    }

    [Fact]
    public void AnythingElseKeepsTheConvolution()
    {
        var (weights, bias) = Phased(new Random(5));
        var initializers = Initializers(weights, bias);
        Assert.Null(QuarterPhaseConv.Of(Conv(), "phases", Outputs, initializers, 8));
        Assert.Null(QuarterPhaseConv.Of(Conv(stride: 1), "phases", Outputs, initializers, Block));
        Assert.Null(QuarterPhaseConv.Of(Conv() with { Inputs = ["x", "w"] }, "phases", Outputs, initializers, Block));

        var moved = (float[])weights.Clone();
        // Phase (1, 0) of channel 1 (output 6) must be channel 1's kernel shifted down one row: its row 0 is zero.
        moved[Old(6, 3, 0, 4)] = 0.5f;
        Assert.Null(QuarterPhaseConv.Of(Conv(), "phases", Outputs, Initializers(moved, bias), Block));

        var biased = (float[])bias.Clone();
        biased[5] += 1;
        Assert.Null(QuarterPhaseConv.Of(Conv(), "phases", Outputs, Initializers(weights, biased), Block));
    }

    /// <summary>Three random 9x9 kernels as the exporter phases them: output 4c + 2p + q is kernel c shifted by (p, q) in a 10x10 window.</summary>
    private static (float[] Weights, float[] Bias) Phased(Random random)
    {
        var kernels = Enumerable.Range(0, 3 * Inputs * 81).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var weights = new float[Block * Inputs * 100];
        for (var o = 0; o < Outputs; o++)
            for (var i = 0; i < Inputs; i++)
                for (var dy = 0; dy < 9; dy++)
                    for (var dx = 0; dx < 9; dx++)
                        weights[Old(o, i, dy + (o >> 1 & 1), dx + (o & 1))] = kernels[((o / 4 * Inputs + i) * 9 + dy) * 9 + dx];
        var bias = new float[Block];
        for (var o = 0; o < Outputs; o++) bias[o] = o / 4 - 1.5f;
        return (weights, bias);
    }

    /// <summary>MLAS's plain-input filter layout: [O/B][I][kh·kw][B out].</summary>
    private static int Old(int o, int i, int ky, int kx) => ((o / Block * Inputs + i) * 100 + ky * 10 + kx) * Block + o % Block;

    private static Dictionary<string, OnnxTensor> Initializers(float[] weights, float[] bias) => new()
    {
        ["w"] = new OnnxTensor("w", [Block, Inputs, 10, 10], OnnxDataType.Float, weights),
        ["b"] = new OnnxTensor("b", [Block], OnnxDataType.Float, bias),
    };

    private static OnnxNode Conv(long stride = 2) =>
        new("Conv", ["x", "w", "b"], ["y"], [OnnxAttribute.Of("kernel_shape", 10L, 10), OnnxAttribute.Of("strides", stride, stride)], "last", "com.microsoft.nchwc");
}
