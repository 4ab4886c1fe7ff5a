namespace LiveStyle.Tests.Support;

/// <summary>
/// Direct loops over [C, H, W] float arrays, written from the papers' and frameworks' definitions
/// without libtorch, so the engine can be checked against an independent computation. Sums are
/// accumulated in double; inputs and weights are float32, as in the original frameworks.
/// </summary>
public static class NaiveReference
{
    public sealed record Map(int C, int H, int W, float[] Data)
    {
        public float this[int c, int y, int x] => Data[(c * H + y) * W + x];
        public static Map Zeros(int c, int h, int w) => new(c, h, w, new float[c * h * w]);
    }

    /// <summary>Cross-correlation; weight(o, i, ky, kx) abstracts the kernel layout; pixel(c, y, x) does the padding.</summary>
    public static Map Conv(Map x, int outC, int k, int stride, int outH, int outW, Func<int, int, int, int, float> weight,
        Func<Map, int, int, int, float> pixel, int offsetY, int offsetX, float[]? bias = null)
    {
        var o = Map.Zeros(outC, outH, outW);
        for (var oc = 0; oc < outC; oc++)
        for (var oy = 0; oy < outH; oy++)
        for (var ox = 0; ox < outW; ox++)
        {
            double sum = bias?[oc] ?? 0;
            for (var ic = 0; ic < x.C; ic++)
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
                sum += pixel(x, ic, oy * stride + ky - offsetY, ox * stride + kx - offsetX) * weight(oc, ic, ky, kx);
            o.Data[(oc * outH + oy) * outW + ox] = (float)sum;
        }
        return o;
    }

    public static float ZeroPadded(Map m, int c, int y, int x) => y < 0 || x < 0 || y >= m.H || x >= m.W ? 0 : m[c, y, x];

    public static float Reflected(Map m, int c, int y, int x) => m[c, Reflect(y, m.H), Reflect(x, m.W)];

    private static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;

    /// <summary>Transposed convolution as scatter: full[o, iy*s+ky, ix*s+kx] += x[i, iy, ix] * w(i, o, ky, kx), then crop.</summary>
    public static Map ConvTranspose(Map x, int outC, int k, int stride, int outH, int outW, int cropY, int cropX, Func<int, int, int, int, float> weight)
    {
        int fullH = (x.H - 1) * stride + k, fullW = (x.W - 1) * stride + k;
        var full = new double[outC * fullH * fullW];
        for (var ic = 0; ic < x.C; ic++)
        for (var iy = 0; iy < x.H; iy++)
        for (var ix = 0; ix < x.W; ix++)
        {
            var v = x[ic, iy, ix];
            for (var oc = 0; oc < outC; oc++)
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
                full[(oc * fullH + iy * stride + ky) * fullW + ix * stride + kx] += v * weight(ic, oc, ky, kx);
        }
        var o = Map.Zeros(outC, outH, outW);
        for (var oc = 0; oc < outC; oc++)
        for (var y = 0; y < outH; y++)
        for (var xx = 0; xx < outW; xx++)
            o.Data[(oc * outH + y) * outW + xx] = (float)full[(oc * fullH + y + cropY) * fullW + xx + cropX];
        return o;
    }

    /// <summary>scale * (x - mean) / sqrt(var + eps) + shift per channel, biased variance (tf.nn.moments, torch instance_norm).</summary>
    public static Map InstanceNorm(Map x, float[] scale, float[] shift, double eps, bool relu)
    {
        var o = Map.Zeros(x.C, x.H, x.W);
        var n = x.H * x.W;
        for (var c = 0; c < x.C; c++)
        {
            double mean = 0, var = 0;
            for (var i = 0; i < n; i++) mean += x.Data[c * n + i];
            mean /= n;
            for (var i = 0; i < n; i++) var += Math.Pow(x.Data[c * n + i] - mean, 2);
            var /= n;
            for (var i = 0; i < n; i++)
            {
                var v = scale[c] * (x.Data[c * n + i] - mean) / Math.Sqrt(var + eps) + shift[c];
                o.Data[c * n + i] = (float)(relu ? Math.Max(v, 0) : v);
            }
        }
        return o;
    }

    public static Map Add(Map a, Map b) => new(a.C, a.H, a.W, a.Data.Zip(b.Data, (x, y) => x + y).ToArray());

    public static Map UpsampleNearestCrop(Map x, int outH, int outW)
    {
        var o = Map.Zeros(x.C, outH, outW);
        for (var c = 0; c < x.C; c++)
        for (var y = 0; y < outH; y++)
        for (var xx = 0; xx < outW; xx++)
            o.Data[(c * outH + y) * outW + xx] = x[c, y / 2, xx / 2];
        return o;
    }
}
