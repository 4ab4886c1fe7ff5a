namespace LiveStyle.Media.Motion;

/// <summary>Per-pixel arithmetic on flow fields (interleaved dx, dy floats, one pair per pixel).</summary>
public static class FlowMaps
{
    /// <summary>
    /// map(x) = x + scale · flow(x): the remap coordinates that pull each pixel from where the flow points
    /// (the scales turn a flow measured on a smaller frame into pixels of this one).
    /// </summary>
    public static void ToSamplingMap(ReadOnlySpan<float> flow, Span<float> map, int width, int height, float scaleX = 1, float scaleY = 1)
    {
        for (var y = 0; y < height; y++)
        {
            var row = y * width * 2;
            for (var x = 0; x < width; x++)
            {
                var i = row + 2 * x;
                map[i] = x + scaleX * flow[i];
                map[i + 1] = y + scaleY * flow[i + 1];
            }
        }
    }

    /// <summary>
    /// Forward-backward consistency (Ruder et al. 2016, eq. 5): a pixel is visible in both frames when
    /// following the forward flow and then the backward flow from where it lands nearly returns to it:
    /// |f + b(x + f)|² ≤ 0.01 (|f|² + |b(x + f)|²) + 0.5. Pixels whose flow leaves the frame are occluded.
    /// </summary>
    public static int NonOccluded(ReadOnlySpan<float> forward, ReadOnlySpan<float> backward, Span<byte> visible, int width, int height)
    {
        var count = 0;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var i = y * width + x;
            float fx = forward[2 * i], fy = forward[2 * i + 1];
            float px = x + fx, py = y + fy;
            if (px < 0 || py < 0 || px > width - 1 || py > height - 1)
            {
                visible[i] = 0;
                continue;
            }
            var (bx, by) = Sample(backward, width, height, px, py);
            float sx = fx + bx, sy = fy + by;
            var ok = sx * sx + sy * sy <= 0.01f * (fx * fx + fy * fy + bx * bx + by * by) + 0.5f;
            visible[i] = ok ? (byte)1 : (byte)0;
            if (ok) count++;
        }
        return count;
    }

    /// <summary>Bilinear sample of a flow field at a point inside the frame.</summary>
    private static (float X, float Y) Sample(ReadOnlySpan<float> flow, int width, int height, float px, float py)
    {
        int x0 = Math.Clamp((int)px, 0, Math.Max(0, width - 2)), y0 = Math.Clamp((int)py, 0, Math.Max(0, height - 2));
        int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
        float ax = px - x0, ay = py - y0;
        int a = 2 * (y0 * width + x0), b = 2 * (y0 * width + x1), c = 2 * (y1 * width + x0), d = 2 * (y1 * width + x1);
        return (Lerp(flow[a], flow[b], flow[c], flow[d], ax, ay), Lerp(flow[a + 1], flow[b + 1], flow[c + 1], flow[d + 1], ax, ay));
    }

    private static float Lerp(float a, float b, float c, float d, float ax, float ay) => (a + (b - a) * ax) * (1 - ay) + (c + (d - c) * ax) * ay;
}
