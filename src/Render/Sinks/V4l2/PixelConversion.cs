using LiveStyle.Media.Pixels;

namespace LiveStyle.Render.Sinks.V4l2;

/// <summary>
/// Packed BGR24 into what virtual cameras take: YUYV 4:2:2, I420 (planar 4:2:0) or RGB24, with
/// BT.601 limited-range coefficients, what webcams deliver and video-call programs expect.
/// Chroma is the average of the pixels it covers. Fixed-point, no allocation.
/// </summary>
public static class PixelConversion
{
    public const uint Yuyv = 0x56595559, I420 = 0x32315559, Rgb24 = 0x33424752; // 'YUYV', 'YU12', 'RGB3'

    public static int FrameSize(uint format, int width, int height) => format switch
    {
        Yuyv => width * height * 2,
        I420 => width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2),
        Rgb24 => width * height * 3,
        _ => throw new ArgumentException($"unsupported pixel format {format:X8}"),
    };

    public static void Convert(uint format, ReadOnlySpan<byte> bgr, int width, int height, Span<byte> output)
    {
        switch (format)
        {
            case Yuyv: ToYuyv(bgr, width, height, output); break;
            case I420: ToI420(bgr, width, height, output); break;
            case Rgb24:
                Pixel3.Convert(Pixel3.Of<Bgr24>(bgr[..(width * height * 3)]), Pixel3.Of<Media.Pixels.Rgb24>(output[..(width * height * 3)]));
                break;
            default: throw new ArgumentException($"unsupported pixel format {format:X8}");
        }
    }

    // Y = 16 + (66R + 129G + 25B)/256, U = 128 + (-38R - 74G + 112B)/256, V = 128 + (112R - 94G - 18B)/256 (BT.601, studio swing)
    public static byte Y(int r, int g, int b) => (byte)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    public static byte U(int r, int g, int b) => (byte)(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
    public static byte V(int r, int g, int b) => (byte)(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);

    private static void ToYuyv(ReadOnlySpan<byte> bgr, int width, int height, Span<byte> output)
    {
        var o = 0;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x += 2)
        {
            var i = (y * width + x) * 3;
            var j = x + 1 < width ? i + 3 : i;
            int b0 = bgr[i], g0 = bgr[i + 1], r0 = bgr[i + 2], b1 = bgr[j], g1 = bgr[j + 1], r1 = bgr[j + 2];
            int r = (r0 + r1 + 1) >> 1, g = (g0 + g1 + 1) >> 1, b = (b0 + b1 + 1) >> 1;
            output[o++] = Y(r0, g0, b0);
            output[o++] = U(r, g, b);
            output[o++] = Y(r1, g1, b1);
            output[o++] = V(r, g, b);
        }
    }

    private static void ToI420(ReadOnlySpan<byte> bgr, int width, int height, Span<byte> output)
    {
        int cw = (width + 1) / 2, ch = (height + 1) / 2;
        var uPlane = output.Slice(width * height, cw * ch);
        var vPlane = output.Slice(width * height + cw * ch, cw * ch);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var i = (y * width + x) * 3;
            output[y * width + x] = Y(bgr[i + 2], bgr[i + 1], bgr[i]);
        }
        for (var cy = 0; cy < ch; cy++)
        for (var cx = 0; cx < cw; cx++)
        {
            int r = 0, g = 0, b = 0, n = 0;
            for (var dy = 0; dy < 2; dy++)
            for (var dx = 0; dx < 2; dx++)
            {
                int px = Math.Min(2 * cx + dx, width - 1), py = Math.Min(2 * cy + dy, height - 1);
                var i = (py * width + px) * 3;
                (b, g, r, n) = (b + bgr[i], g + bgr[i + 1], r + bgr[i + 2], n + 1);
            }
            (r, g, b) = ((r + n / 2) / n, (g + n / 2) / n, (b + n / 2) / n);
            uPlane[cy * cw + cx] = U(r, g, b);
            vPlane[cy * cw + cx] = V(r, g, b);
        }
    }
}
