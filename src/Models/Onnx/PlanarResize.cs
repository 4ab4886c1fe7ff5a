namespace LiveStyle.Models.Onnx;

/// <summary>Bilinear resizing of planar [C, H, W] float images (half-pixel centres, as OpenCV and PyTorch's align_corners=false).</summary>
public static class PlanarResize
{
    public static void Bilinear(ReadOnlySpan<float> source, int width, int height, Span<float> destination, int toWidth, int toHeight)
    {
        var channels = source.Length / (width * height);
        float sy = (float)height / toHeight, sx = (float)width / toWidth;
        for (var c = 0; c < channels; c++)
        {
            var from = source.Slice(c * width * height, width * height);
            var to = destination.Slice(c * toWidth * toHeight, toWidth * toHeight);
            for (var y = 0; y < toHeight; y++)
            {
                var fy = Math.Clamp((y + 0.5f) * sy - 0.5f, 0, height - 1);
                int y0 = (int)fy, y1 = Math.Min(y0 + 1, height - 1);
                var wy = fy - y0;
                for (var x = 0; x < toWidth; x++)
                {
                    var fx = Math.Clamp((x + 0.5f) * sx - 0.5f, 0, width - 1);
                    int x0 = (int)fx, x1 = Math.Min(x0 + 1, width - 1);
                    var wx = fx - x0;
                    var top = from[y0 * width + x0] * (1 - wx) + from[y0 * width + x1] * wx;
                    var bottom = from[y1 * width + x0] * (1 - wx) + from[y1 * width + x1] * wx;
                    to[y * toWidth + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
    }
}
