using LiveStyle.Models.Onnx;
using LiveStyle.Models.Onnx.Runtime;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// An upsampling convolution's phases, as ONNX Runtime's optimised graph holds them (a 3x3 blocked convolution, weights
/// in MLAS's [O/B][I/B][tap][B in][B out] layout), become 2x2 windows only when every tap outside each phase's window is
/// zero; anything else keeps the convolution as it was.
/// </summary>
public sealed class PhaseWindowConvTests
{
    private const int Outputs = 32, Inputs = 16, Block = 16;

    /// <summary>Blocks of 16 channels (AVX-512) and of 8 (AVX2).</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void EachPhaseKeepsTheTapsOfItsWindow(int block)
    {
        var weights = Phased(new Random(3), block);
        var result = PhaseWindowConv.Of(Conv(), new Dictionary<string, OnnxTensor> { ["w"] = Tensor(weights) }, block);
        Assert.NotNull(result);
        var (conv, windows) = result.Value;
        Assert.Equal([2L, 2], conv.Attribute("kernel_shape")!.Ints!);
        Assert.Equal(["x", windows.Name, "b"], conv.Inputs);
        Assert.Equal([Outputs, Inputs, 2L, 2], windows.Dims);
        for (var o = 0; o < Outputs; o++)
            for (var i = 0; i < Inputs; i++)
                for (var ky = 0; ky < 2; ky++)
                    for (var kx = 0; kx < 2; kx++)
                        Assert.Equal(weights[At(o, i, 3 * (ky + (o >> 1 & 1)) + kx + (o & 1), 9, block)], windows.Floats![At(o, i, 2 * ky + kx, 4, block)]);
    }

    [Fact]
    public void ATapOutsideItsWindowKeepsTheConvolution()
    {
        var weights = Phased(new Random(3), Block);
        // Output channel 5 is phase (0, 1): its window is rows 0..1, columns 1..2, so tap (2, 0) must be zero.
        weights[At(5, 7, 6, 9, Block)] = 0.25f;
        Assert.Null(PhaseWindowConv.Of(Conv(), new Dictionary<string, OnnxTensor> { ["w"] = Tensor(weights) }, Block));
    }

    [Fact]
    public void OtherConvolutionsAreLeftAlone()
    {
        var initializers = new Dictionary<string, OnnxTensor> { ["w"] = Tensor(Phased(new Random(3), Block)) };
        Assert.Null(PhaseWindowConv.Of(Conv(OnnxAttribute.Of("strides", 2L, 2)), initializers, Block));
        Assert.Null(PhaseWindowConv.Of(Conv(OnnxAttribute.Of("pads", 1L, 1, 1, 1)), initializers, Block));
        Assert.Null(PhaseWindowConv.Of(Conv() with { Inputs = ["x", "w", "b", "sum"] }, initializers, Block));
        Assert.Null(PhaseWindowConv.Of(Conv() with { Domain = "" }, initializers, Block));
        Assert.Null(PhaseWindowConv.Of(Conv(), new Dictionary<string, OnnxTensor> { ["w"] = Tensor(new float[Outputs * Inputs * 4]) }, Block));
    }

    /// <summary>Random weights, zero outside each output channel's window (channel 4c + 2p + q: rows p..p+1, columns q..q+1).</summary>
    private static float[] Phased(Random random, int block)
    {
        var weights = new float[Outputs * Inputs * 9];
        for (var o = 0; o < Outputs; o++)
            for (var i = 0; i < Inputs; i++)
                for (var tap = 0; tap < 9; tap++)
                {
                    int ky = tap / 3 - (o >> 1 & 1), kx = tap % 3 - (o & 1);
                    if (ky is 0 or 1 && kx is 0 or 1) weights[At(o, i, tap, 9, block)] = (float)random.NextDouble() - 0.5f;
                }
        return weights;
    }

    private static int At(int o, int i, int tap, int taps, int block) =>
        ((o / block * (Inputs / block) + i / block) * taps + tap) * block * block + i % block * block + o % block;

    private static OnnxTensor Tensor(float[] values) => new("w", [Outputs, Inputs, 3, 3], OnnxDataType.Float, values);

    private static OnnxNode Conv(params OnnxAttribute[] extra) =>
        new("Conv", ["x", "w", "b"], ["y"], [OnnxAttribute.Of("kernel_shape", 3L, 3), .. extra], "up", "com.microsoft.nchwc");
}
