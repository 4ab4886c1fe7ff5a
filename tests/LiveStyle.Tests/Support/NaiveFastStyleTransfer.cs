using System.Text.Json;
using static LiveStyle.Tests.Support.NaiveReference;

namespace LiveStyle.Tests.Support;

/// <summary>
/// lengstrom/fast-style-transfer's net() (src/transform.py) computed with plain loops straight from an
/// ml5 checkpoint folder: TensorFlow kernel layouts are indexed as they are ([kh, kw, in, out] and,
/// for conv2d_transpose, [kh, kw, out, in]), so no part of LiveStyle's importer is reused.
/// </summary>
public sealed class NaiveFastStyleTransfer
{
    private readonly List<float[]> _vars = new();
    private int _next;

    public NaiveFastStyleTransfer(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        for (var i = 0; i < 48; i++)
        {
            var name = i == 0 ? "Variable" : $"Variable_{i}";
            var file = manifest.RootElement.GetProperty(name).GetProperty("filename").GetString()!;
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            var data = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
            _vars.Add(data);
        }
    }

    /// <summary>image: [3, H, W] RGB 0..255; returns tanh(x)*150 + 127.5.</summary>
    public Map Run(Map image)
    {
        _next = 0;
        var conv1 = ConvLayer(image, 32, 9, 1, relu: true);
        var conv2 = ConvLayer(conv1, 64, 3, 2, relu: true);
        var conv3 = ConvLayer(conv2, 128, 3, 2, relu: true);
        var r = conv3;
        for (var i = 0; i < 5; i++) r = Residual(r);
        var t1 = TransposeLayer(r, 64, conv2.H, conv2.W);
        var t2 = TransposeLayer(t1, 32, image.H, image.W);
        var t3 = ConvLayer(t2, 3, 9, 1, relu: false);
        return new Map(3, t3.H, t3.W, t3.Data.Select(v => (float)(Math.Tanh(v) * 150 + 255.0 / 2)).ToArray());
    }

    private Map Residual(Map x)
    {
        var tmp = ConvLayer(x, 128, 3, 1, relu: true);
        return Add(x, ConvLayer(tmp, 128, 3, 1, relu: false));
    }

    private Map ConvLayer(Map x, int outC, int k, int stride, bool relu)
    {
        var w = _vars[_next++];
        int outH = (x.H + stride - 1) / stride, outW = (x.W + stride - 1) / stride;
        int padY = Math.Max((outH - 1) * stride + k - x.H, 0) / 2, padX = Math.Max((outW - 1) * stride + k - x.W, 0) / 2;
        var inC = x.C;
        var y = Conv(x, outC, k, stride, outH, outW, (o, i, ky, kx) => w[((ky * k + kx) * inC + i) * outC + o], ZeroPadded, padY, padX);
        return Norm(y, relu);
    }

    private Map TransposeLayer(Map x, int outC, int outH, int outW)
    {
        var w = _vars[_next++];
        const int k = 3, s = 2;
        int cropY = Math.Max((x.H - 1) * s + k - outH, 0) / 2, cropX = Math.Max((x.W - 1) * s + k - outW, 0) / 2;
        var inC = x.C;
        var y = ConvTranspose(x, outC, k, s, outH, outW, cropY, cropX, (i, o, ky, kx) => w[((ky * k + kx) * outC + o) * inC + i]);
        return Norm(y, relu: true);
    }

    private Map Norm(Map x, bool relu)
    {
        var shift = _vars[_next++];
        var scale = _vars[_next++];
        return InstanceNorm(x, scale, shift, 1e-3, relu);
    }
}
