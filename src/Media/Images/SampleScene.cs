
namespace LiveStyle.Media.Images;

/// <summary>A small landscape drawn in code (sky, sun, hills, lake), so the demo works with no image at hand.</summary>
public static class SampleScene
{
    public static Image Draw(int width = 640, int height = 480)
    {
        var image = new Image(width, height, 3);
        var px = image.Pixels;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            double u = (double)x / width, v = (double)y / height;
            var hill = 0.55 + 0.08 * Math.Sin(u * 9) + 0.05 * Math.Sin(u * 23 + 1);
            var sun = Math.Sqrt(Math.Pow(u - 0.72, 2) + Math.Pow(v - 0.25, 2)) < 0.08;
            (double r, double g, double b) c =
                sun ? (255, 220, 90)
                : v < hill ? (90 + 120 * v, 150 + 80 * v, 235)
                : v < 0.8 ? (40 + 60 * Math.Sin(u * 40) * Math.Sin(v * 30), 120 + 50 * (v - hill), 50)
                : (30, 80 + 40 * Math.Sin(u * 60 + v * 20), 150);
            var i = (y * width + x) * 3;
            px[i] = (byte)Math.Clamp(c.r, 0, 255);
            px[i + 1] = (byte)Math.Clamp(c.g, 0, 255);
            px[i + 2] = (byte)Math.Clamp(c.b, 0, 255);
        }
        return image;
    }
}
