using LiveStyle.Models.Onnx.Runtime;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// The blocked-layout norm kernel against a plain loop over NCHW arrays in double: pixel shuffle, instance norm,
/// residual, ReLU or a scaled sigmoid, and pad as separate steps, the way ONNX Runtime's own operators do them one by one. Blocks of 16 take
/// the vectorised paths on this machine's AVX-512; blocks of 8 and partial blocks the scalar ones. Inputs carry junk in
/// the lanes past their real channels and around the residual's window, which the kernel must not read.
/// </summary>
public sealed class BlockedNormKernelTests
{
    // Values are about ±2 before the norm and a few units after it; float32 with statistics kept in double is within
    // 1e-5 of the double loop there (relative, so 1e-3 of a level after 255·sigmoid, whose slope is at most 64), so
    // 1e-4 of the largest value leaves room for rounding and none for a wrong lane, row or phase.
    private const double Tolerance = 1e-4;

    [Theory]
    //          block channels shuffle norm  residual relu   top left bottom right edge   blocked n  h  w
    [InlineData(16, 32, 1, true, true, false, 1, 1, 1, 1, false, true, 1, 9, 13)]
    [InlineData(16, 32, 1, true, false, true, 1, 1, 1, 1, false, true, 1, 9, 13)]
    [InlineData(16, 32, 1, false, false, false, 1, 1, 0, 0, true, true, 1, 8, 10)]
    [InlineData(16, 16, 2, true, false, true, 1, 1, 1, 1, false, true, 1, 6, 7)]
    [InlineData(16, 8, 2, true, false, true, 4, 4, 4, 4, false, false, 1, 6, 19)]
    [InlineData(16, 6, 2, true, false, true, 2, 3, 1, 0, true, false, 2, 5, 16)]
    [InlineData(16, 12, 1, true, true, true, 2, 1, 0, 3, false, true, 2, 7, 9)]
    [InlineData(16, 12, 2, true, false, true, 1, 1, 1, 1, true, true, 1, 5, 6)]
    [InlineData(16, 3, 1, true, false, false, 2, 2, 2, 2, false, false, 1, 5, 9)]
    [InlineData(8, 16, 1, true, true, false, 1, 1, 1, 1, false, true, 1, 9, 13)]
    [InlineData(8, 8, 2, true, false, true, 1, 1, 1, 1, false, true, 1, 6, 7)]
    [InlineData(8, 4, 2, true, false, true, 3, 3, 3, 3, true, false, 1, 6, 7)]
    [InlineData(16, 3, 2, true, false, false, 0, 0, 0, 0, false, false, 1, 20, 11, 255f)]
    [InlineData(8, 3, 2, true, false, false, 0, 0, 0, 0, false, false, 1, 6, 7, 2f)]
    // Phase offsets: each phase from its own window of an input one row and column larger.
    [InlineData(16, 16, 2, true, false, true, 1, 1, 1, 1, false, true, 1, 7, 8, 0f, true)]
    [InlineData(16, 12, 2, true, false, true, 2, 1, 0, 3, true, true, 2, 6, 9, 0f, true)]
    [InlineData(16, 8, 2, false, false, false, 1, 1, 1, 1, false, true, 1, 5, 5, 0f, true)]
    [InlineData(8, 8, 2, true, false, true, 1, 1, 1, 1, false, true, 2, 6, 7, 0f, true)]
    [InlineData(16, 8, 2, true, false, true, 4, 4, 4, 4, false, false, 1, 6, 19, 0f, true)]
    [InlineData(8, 4, 2, true, false, true, 3, 3, 3, 3, true, false, 2, 7, 6, 0f, true)]
    [InlineData(16, 3, 2, true, false, false, 0, 0, 0, 0, false, false, 1, 9, 11, 255f, true)]
    // The padded result left as its 2x2 phases.
    [InlineData(16, 8, 2, true, false, true, 4, 4, 4, 4, false, true, 1, 9, 9, 0f, true, true)]
    [InlineData(16, 4, 2, true, false, true, 2, 4, 2, 0, false, true, 2, 4, 6, 0f, false, true)]
    [InlineData(8, 8, 2, true, false, true, 4, 2, 4, 2, false, true, 1, 5, 7, 0f, true, true)]
    // A shuffle by 4 (sixteen phases per channel) into a plain result.
    [InlineData(16, 3, 4, true, false, false, 0, 0, 0, 0, false, false, 1, 5, 7, 255f)]
    [InlineData(16, 2, 4, true, false, true, 1, 2, 3, 0, true, false, 2, 3, 4)]
    public void KernelComputesTheStepsOneByOne(int block, int channels, int shuffle, bool norm, bool residual, bool relu,
        int top, int left, int bottom, int right, bool edge, bool blocked, int n, int h, int w, float sigmoid = 0, bool offsets = false, bool phases = false)
    {
        var spec = new BlockedNormSpec(block, channels, norm, 1e-3f, residual, relu, shuffle, [top, left, bottom, right], edge, blocked, [2, 1], sigmoid, offsets, phases);
        Assert.Null(spec.Problem());
        var random = new Random(channels * 31 + h);
        var offset = offsets ? 1 : 0;
        int inputChannels = channels * shuffle * shuffle, height = (h - offset) * shuffle, width = (w - offset) * shuffle;
        var x = Values(random, n * inputChannels * h * w, 2);
        var scale = Values(random, channels, 1.5f);
        var bias = Values(random, channels, 0.5f);
        var r = residual ? Values(random, n * channels * height * width, 1) : null;

        var expected = Reference(spec, x, n, h, w, scale, bias, r);
        var kernel = new BlockedNormKernel(spec);
        var first = Run(kernel, x, [n, RoundUp(inputChannels, block), h, w], scale, bias, r, random);
        var again = Run(kernel, x, [n, RoundUp(inputChannels, block), h, w], scale, bias, r, random);
        Assert.Equal(first, again);

        int outHeight = height + top + bottom, outWidth = width + left + right;
        if (phases)
        {
            (expected, channels) = (Phases(expected, n, channels, outHeight, outWidth), 4 * channels);
            (outHeight, outWidth) = (outHeight / 2, outWidth / 2);
        }
        var outChannels = blocked ? RoundUp(channels, block) : channels;
        var actual = blocked ? Unblock(first, n, outChannels, outHeight, outWidth, block) : first;
        Assert.Equal(n * outChannels * outHeight * outWidth, actual.Length);
        var worst = 0.0;
        for (var image = 0; image < n; image++)
            for (var c = 0; c < outChannels; c++)
                for (var i = 0; i < outHeight * outWidth; i++)
                {
                    var at = (image * outChannels + c) * outHeight * outWidth + i;
                    var want = c < channels ? expected[(image * channels + c) * outHeight * outWidth + i] : 0;
                    worst = Math.Max(worst, Math.Abs(actual[at] - want));
                }
        var largest = expected.Max(Math.Abs);
        Assert.True(worst <= Tolerance * Math.Max(1, largest), $"largest difference from the step-by-step loop: {worst} (values up to {largest})");
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 2)]
    [InlineData(8, 1)]
    [InlineData(16, 2, true)]
    public void ChannelsFarFromZeroKeepTheirVariance(int block, int shuffle, bool offsets = false)
    {
        // Values of 1000 ± 0.01: in float, E[x²] − mean² would lose the variance (1e-4 against 1e6) to rounding.
        var spec = new BlockedNormSpec(block, 16, true, 1e-9f, false, false, shuffle, [0, 0, 0, 0], false, true, [0, 0], PhaseOffsets: offsets);
        var random = new Random(4);
        var offset = offsets ? 1 : 0;
        int h = 24 + offset, w = 40 + offset;
        var x = Values(random, 16 * shuffle * shuffle * h * w, 0.01f).Select(v => v + 1000).ToArray();
        var scale = Enumerable.Repeat(1f, 16).ToArray();
        var bias = new float[16];
        var expected = Reference(spec, x, 1, h, w, scale, bias, null);
        var actual = Unblock(Run(new BlockedNormKernel(spec), x, [1, 16 * shuffle * shuffle, h, w], scale, bias, null, random), 1, 16, (h - offset) * shuffle, (w - offset) * shuffle, block);
        // Differences from a value of the same channel are exact in float (both near 1000), so the normalised values (about
        // ±1.7) come out as close to the double loop's as anywhere else.
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance * 2, $"largest difference from the step-by-step loop: {worst}");
    }

    [Fact]
    public void AReflectionWiderThanTheImageIsRefusedNotReadOutOfBounds()
    {
        var spec = new BlockedNormSpec(16, 16, false, 0, false, false, 1, [4, 4, 4, 4], false, true, [0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => Run(new BlockedNormKernel(spec), new float[16 * 3 * 3], [1, 16, 3, 3], [], [], null, new Random(1)));
        Assert.Contains("reflection pad of 4 on an image of 3x3", e.Message);
    }

    [Fact]
    public void NonsenseAttributesAreNamed()
    {
        Assert.Contains("shuffle", new BlockedNormSpec(16, 16, false, 0, false, false, 3, [0, 0, 0, 0], false, true, [0, 0]).Problem());
        Assert.Contains("residual", new BlockedNormSpec(16, 16, false, 0, true, false, 1, [0, 0, 0, 0], false, false, [0, 0]).Problem());
        Assert.Contains("pads", new BlockedNormSpec(16, 16, false, 0, false, false, 1, [0, -1, 0, 0], false, true, [0, 0]).Problem());
        Assert.Contains("phase offsets", new BlockedNormSpec(16, 16, false, 0, false, false, 1, [0, 0, 0, 0], false, true, [0, 0], PhaseOffsets: true).Problem());
        Assert.Contains("phases", new BlockedNormSpec(16, 8, false, 0, false, false, 2, [4, 4, 4, 4], true, true, [0, 0], PhaseOutput: true).Problem());
        Assert.Contains("phases", new BlockedNormSpec(16, 8, false, 0, false, false, 2, [3, 3, 3, 3], false, true, [0, 0], PhaseOutput: true).Problem());
        Assert.Contains("shuffle by 4", new BlockedNormSpec(8, 3, false, 0, false, false, 4, [0, 0, 0, 0], false, false, [0, 0]).Problem());
    }

    /// <summary>The kernel as the operator drives it, with its rows in reverse order: the session's threads take them in any order.</summary>
    private static unsafe float[] Run(BlockedNormKernel kernel, float[] x, long[] dims, float[] scale, float[] bias, float[]? residual, Random junk)
    {
        var spec = kernel.Spec;
        var blockedX = Block(x, (int)dims[0], spec.Channels * spec.Shuffle * spec.Shuffle, (int)dims[2], (int)dims[3], spec.Block, junk);
        long[] residualDims = [];
        float[] blockedResidual = [];
        if (residual != null)
        {
            // The residual sits at (2, 1) inside a larger padded tensor, as a rewritten run leaves it.
            int height = (int)dims[2] * spec.Shuffle, width = (int)dims[3] * spec.Shuffle;
            residualDims = [dims[0], dims[1], height + 3, width + 2];
            var framed = Values(junk, (int)(dims[0] * spec.Channels * (height + 3) * (width + 2)), 100);
            for (var n = 0; n < dims[0]; n++)
                for (var c = 0; c < spec.Channels; c++)
                    for (var y = 0; y < height; y++)
                        for (var xx = 0; xx < width; xx++)
                            framed[((n * spec.Channels + c) * (height + 3) + y + 2) * (width + 2) + xx + 1] = residual[((n * spec.Channels + c) * height + y) * width + xx];
            blockedResidual = Block(framed, (int)dims[0], spec.Channels, height + 3, width + 2, spec.Block, junk);
        }
        var outputDims = new long[4];
        kernel.OutputDims(dims, outputDims);
        var output = new float[outputDims.Aggregate(1L, (a, b) => a * b)];
        fixed (float* px = blockedX, ps = scale, pb = bias, pr = blockedResidual, po = output)
        {
            kernel.Begin(dims, px, spec.Norm ? ps : null, spec.Norm ? pb : null, residualDims, residual != null ? pr : null, po);
            for (var i = kernel.StatisticsItems - 1; i >= 0; i--) kernel.Statistics(i);
            kernel.Factors();
            for (var i = kernel.ResultItems - 1; i >= 0; i--) kernel.Result(i);
        }
        return output;
    }

    /// <summary>Shuffle (each phase from its window, with offsets), norm, residual, ReLU and pad, each over the whole NCHW array in double.</summary>
    private static double[] Reference(BlockedNormSpec spec, float[] x, int n, int h, int w, float[] scale, float[] bias, float[]? residual)
    {
        var offset = spec.PhaseOffsets ? 1 : 0;
        int s = spec.Shuffle, channels = spec.Channels, height = (h - offset) * s, width = (w - offset) * s, inputChannels = channels * s * s;
        var y = new double[n * channels * height * width];
        for (var image = 0; image < n; image++)
            for (var c = 0; c < channels; c++)
            {
                var plane = y.AsSpan((image * channels + c) * height * width, height * width);
                for (var row = 0; row < height; row++)
                    for (var col = 0; col < width; col++)
                    {
                        var k = s * s * c + s * (row % s) + col % s;
                        plane[row * width + col] = x[((image * inputChannels + k) * h + row / s + offset * (row % 2)) * w + col / s + offset * (col % 2)];
                    }
                if (spec.Norm)
                {
                    double mean = 0, variance = 0;
                    foreach (var v in plane) mean += v;
                    mean /= plane.Length;
                    foreach (var v in plane) variance += (v - mean) * (v - mean);
                    variance /= plane.Length;
                    for (var i = 0; i < plane.Length; i++) plane[i] = (plane[i] - mean) / Math.Sqrt(variance + spec.Epsilon) * scale[c] + bias[c];
                }
                for (var i = 0; i < plane.Length; i++)
                {
                    if (residual != null) plane[i] += residual[(image * channels + c) * height * width + i];
                    if (spec.Relu) plane[i] = Math.Max(plane[i], 0);
                    if (spec.SigmoidScale != 0) plane[i] = spec.SigmoidScale / (1 + Math.Exp(-plane[i]));
                }
            }

        var p = spec.Pads;
        int outHeight = height + p[0] + p[2], outWidth = width + p[1] + p[3];
        int Source(int i, int size) => i < 0 ? (spec.EdgePad ? 0 : -i) : i >= size ? (spec.EdgePad ? size - 1 : 2 * (size - 1) - i) : i;
        var padded = new double[n * channels * outHeight * outWidth];
        for (var plane = 0; plane < n * channels; plane++)
            for (var row = 0; row < outHeight; row++)
                for (var col = 0; col < outWidth; col++)
                    padded[(plane * outHeight + row) * outWidth + col] =
                        y[(plane * height + Source(row - p[0], height)) * width + Source(col - p[1], width)];
        return padded;
    }

    /// <summary>Each channel c as its 2x2 phases, channels 4c + 2p + q (pixel_unshuffle's order).</summary>
    private static double[] Phases(double[] y, int n, int channels, int height, int width)
    {
        var result = new double[y.Length];
        for (var image = 0; image < n; image++)
            for (var c = 0; c < channels; c++)
                for (var row = 0; row < height; row++)
                    for (var col = 0; col < width; col++)
                        result[(((image * channels + c) * 4 + row % 2 * 2 + col % 2) * (height / 2) + row / 2) * (width / 2) + col / 2] =
                            y[((image * channels + c) * height + row) * width + col];
        return result;
    }

    /// <summary>NCHW → [N, C/B, H, W, B], the lanes past the real channels filled with junk.</summary>
    private static float[] Block(float[] x, int n, int channels, int h, int w, int block, Random junk)
    {
        var padded = RoundUp(channels, block);
        var result = Values(junk, n * padded * h * w, 100);
        for (var image = 0; image < n; image++)
            for (var c = 0; c < channels; c++)
                for (var i = 0; i < h * w; i++)
                    result[((image * padded + c) / block * h * w + i) * block + c % block] = x[(image * channels + c) * h * w + i];
        return result;
    }

    private static float[] Unblock(float[] x, int n, int channels, int h, int w, int block)
    {
        var result = new float[n * channels * h * w];
        for (var image = 0; image < n; image++)
            for (var c = 0; c < channels; c++)
                for (var i = 0; i < h * w; i++)
                    result[(image * channels + c) * h * w + i] = x[((image * channels + c) / block * h * w + i) * block + c % block];
        return result;
    }

    private static float[] Values(Random random, int count, float range) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * range).ToArray();

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
