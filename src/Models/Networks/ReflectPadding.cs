using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Models.Networks;

/// <summary>
/// Reflection padding that works at any size: reflection is undefined for a pad as wide as the image, so
/// an image narrower than the pad is reflected as far as it can be (size - 1) and the rest replicates the
/// new border. For every image wider than the pad this is plain reflection. Both engines do the same.
/// </summary>
public static class ReflectPadding
{
    public static Tensor Pad(Tensor x, int pad)
    {
        int rh = (int)Math.Min(pad, x.Size(2) - 1), rw = (int)Math.Min(pad, x.Size(3) - 1);
        if (rh == pad && rw == pad) return Pad2d(x, pad, pad, pad, pad, PaddingMode.Reflect);
        using var reflected = rh + rw > 0 ? Pad2d(x, rw, rw, rh, rh, PaddingMode.Reflect) : x.Alias();
        return Pad2d(reflected, pad - rw, pad - rw, pad - rh, pad - rh, PaddingMode.Replicate);
    }

    /// <param name="wider">The graph guarantees the image is wider than the pad (<see cref="TransformNetConfig.MinimumSize"/>): one plain reflect.</param>
    public static string Emit(OnnxGraphBuilder g, string x, long pad, bool wider = false)
    {
        if (wider) return g.Node("Pad", [x, g.Ints(0, 0, pad, pad, 0, 0, pad, pad)], OnnxAttribute.Of("mode", "reflect"));
        var limit = g.Ints(pad, pad);
        var reflect = g.Node("Min", [g.Node("Sub", [g.SpatialSize(x), g.Ints(1)]), limit]);
        var rest = g.Node("Sub", [limit, reflect]);
        var reflected = g.Node("Pad", [x, Spatial(g, reflect)], OnnxAttribute.Of("mode", "reflect"));
        return g.Node("Pad", [reflected, Spatial(g, rest)], OnnxAttribute.Of("mode", "edge"));
    }

    /// <summary>[0, 0, h, w, 0, 0, h, w]: the same pad before and after each spatial axis.</summary>
    private static string Spatial(OnnxGraphBuilder g, string hw) =>
        g.Node("Concat", [g.Ints(0, 0), hw, g.Ints(0, 0), hw], OnnxAttribute.Of("axis", 0L));
}
