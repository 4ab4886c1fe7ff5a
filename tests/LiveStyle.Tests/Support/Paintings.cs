using LiveStyle.Media.Images;
using LiveStyle.Models.Arbitrary;

namespace LiveStyle.Tests.Support;

/// <summary>Magenta's networks from the shared mirror, and paintings the tests make themselves.</summary>
public static class Paintings
{
    public static string MagentaMirror => Path.Combine(TestPaths.ModelsMirror, "magenta");
    public static string Style(string name) => Path.Combine(TestPaths.Shared, "images", "styles", name);

    public static ArbitraryStyle Open() => ArbitraryStyle.Open(MagentaMirror);

    /// <summary>
    /// A seeded abstract painting: a wash of one colour under hundreds of thick, short, diagonal strokes from a
    /// small palette, the kind of texture a style network can pick up.
    /// </summary>
    public static Image Procedural(int seed, int size = 256)
    {
        var random = new Random(seed);
        byte[][] palette = [[230, 60, 40], [250, 200, 30], [30, 80, 200], [20, 20, 30], [240, 240, 230]];
        var image = new Image(size, size, 3);
        var px = image.Pixels;
        var wash = palette[random.Next(palette.Length)];
        for (var i = 0; i < size * size; i++) wash.CopyTo(px, i * 3);
        for (var s = 0; s < size * 3; s++)
        {
            var colour = palette[random.Next(palette.Length)];
            double x = random.Next(size), y = random.Next(size), angle = Math.PI / 4 + (random.NextDouble() - 0.5) * 0.6;
            var (length, radius) = (8 + random.Next(size / 8), 1.5 + random.NextDouble() * 2.5);
            for (var t = 0; t < length; t++)
            {
                int cx = (int)(x + t * Math.Cos(angle)), cy = (int)(y + t * Math.Sin(angle)), r = (int)Math.Ceiling(radius);
                for (var dy = -r; dy <= r; dy++)
                for (var dx = -r; dx <= r; dx++)
                {
                    int px2 = cx + dx, py2 = cy + dy;
                    if (dx * dx + dy * dy > radius * radius || px2 < 0 || py2 < 0 || px2 >= size || py2 >= size) continue;
                    colour.CopyTo(px, (py2 * size + px2) * 3);
                }
            }
        }
        return image;
    }
}
