using LiveStyle.Media.Images;

namespace LiveStyle.Train.Data;

/// <summary>
/// The augmentation of every training input: scale the shorter side to a random length in
/// [minScale, maxScale], take a random square crop, flip it horizontally half the time. Every choice is
/// drawn from the given generator, so two generators seeded alike crop two frames of a clip alike.
/// </summary>
internal static class RandomCrop
{
    /// <summary>Writes the crop as planar float RGB 0..255 ([3, crop, crop]) into <paramref name="planar"/>.</summary>
    public static void Into(Image image, Random random, int minScale, int maxScale, int crop, Span<float> planar)
    {
        var scale = (double)random.Next(minScale, maxScale + 1) / Math.Min(image.Width, image.Height);
        var (w, h) = (Math.Max(crop, (int)Math.Round(image.Width * scale)), Math.Max(crop, (int)Math.Round(image.Height * scale)));
        var sized = image.Resize(w, h);
        int x0 = random.Next(w - crop + 1), y0 = random.Next(h - crop + 1);
        var flip = random.Next(2) == 1;
        var c = sized.Channels;
        var plane = crop * crop;
        for (var y = 0; y < crop; y++)
        for (var x = 0; x < crop; x++)
        {
            var sx = x0 + (flip ? crop - 1 - x : x);
            var s = ((y0 + y) * w + sx) * c;
            var d = y * crop + x;
            planar[d] = sized.Pixels[s];
            planar[plane + d] = sized.Pixels[c >= 3 ? s + 1 : s];
            planar[2 * plane + d] = sized.Pixels[c >= 3 ? s + 2 : s];
        }
    }
}
