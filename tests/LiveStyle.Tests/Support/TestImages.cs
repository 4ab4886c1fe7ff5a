using LiveStyle.Media.Images;

namespace LiveStyle.Tests.Support;

public static class TestImages
{
    /// <summary>A real photo shrunk to the given size (shared data), as 8-bit RGB.</summary>
    public static Image Photo(int width, int height, string name = "tubingen.jpg") =>
        ImageCodec.Read(TestPaths.ContentImage(name)).Resize(width, height);

    /// <summary>Planar [3, H, W] floats of an RGB image.</summary>
    public static NaiveReference.Map ToMap(Image image)
    {
        var map = NaiveReference.Map.Zeros(3, image.Height, image.Width);
        var plane = image.Width * image.Height;
        for (var i = 0; i < plane; i++)
        for (var c = 0; c < 3; c++)
            map.Data[c * plane + i] = image.Pixels[i * image.Channels + c];
        return map;
    }

    /// <summary>A synthetic RGB gradient with a pattern, for tests that need no shared data.</summary>
    public static Image Gradient(int width, int height, int channels = 3)
    {
        var image = new Image(width, height, channels);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var i = (y * width + x) * channels;
            image.Pixels[i] = (byte)(255 * x / Math.Max(1, width - 1));
            if (channels >= 3)
            {
                image.Pixels[i + 1] = (byte)(255 * y / Math.Max(1, height - 1));
                image.Pixels[i + 2] = (byte)((x * 7 + y * 13) % 256);
            }
            if (channels == 4) image.Pixels[i + 3] = (byte)((x + y) % 2 == 0 ? 255 : 40 + x % 100);
        }
        return image;
    }
}
