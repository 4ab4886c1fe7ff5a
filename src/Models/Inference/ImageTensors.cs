using LiveStyle.Media.Images;
using LiveStyle.Media.Pixels;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>Between images and the networks' planar float32 RGB 0..255 images: [3, H, W] spans, or [1, 3, H, W] tensors.</summary>
public static class ImageTensors
{
    /// <summary>Gray is replicated to RGB; alpha is left out (the caller keeps it from the source image).</summary>
    public static void ToPlanar(Image image, Span<float> planar)
    {
        int c = image.Channels, plane = image.Width * image.Height;
        if (planar.Length != 3 * plane) throw new ArgumentException($"a {image.Width}x{image.Height} image needs {3 * plane} planar values, not {planar.Length}");
        var px = image.Pixels;
        if (c == 3)
        {
            PixelPlanes.ToPlanar<Rgb24>(image.Rgb, planar);
            return;
        }
        for (var i = 0; i < plane; i++)
        {
            var s = i * c;
            planar[i] = px[s];
            planar[plane + i] = px[c >= 3 ? s + 1 : s];
            planar[2 * plane + i] = px[c >= 3 ? s + 2 : s];
        }
    }

    /// <summary>Rounds and clamps to 8 bits; the result has the source's channel layout and alpha.</summary>
    public static Image FromPlanar(ReadOnlySpan<float> planar, Image source)
    {
        int w = source.Width, h = source.Height, plane = w * h;
        if (planar.Length != 3 * plane) throw new ArgumentException($"{planar.Length} planar values for a {w}x{h} image");
        var result = new Image(w, h, source.Channels == 1 ? 3 : source.Channels);
        var px = result.Pixels;
        var c = result.Channels;
        if (c == 3)
        {
            PixelPlanes.ToPacked(planar, result.Rgb);
            return result;
        }
        for (var i = 0; i < plane; i++)
        {
            var d = i * c;
            px[d] = StrengthBlend.ToByte(planar[i]);
            px[d + 1] = StrengthBlend.ToByte(planar[plane + i]);
            px[d + 2] = StrengthBlend.ToByte(planar[2 * plane + i]);
            if (c == 4) px[d + 3] = source.Pixels[i * 4 + 3];
        }
        return result;
    }

    public static Tensor ToTensor(Image image)
    {
        var data = new float[3 * image.Width * image.Height];
        ToPlanar(image, data);
        return Torch.FromArray(data, 1, 3, image.Height, image.Width);
    }

    public static Image ToImage(Tensor tensor, Image source)
    {
        int h = (int)tensor.Size(2), w = (int)tensor.Size(3);
        if (h != source.Height || w != source.Width)
            throw new ArgumentException($"tensor is {w}x{h}, source image {source.Width}x{source.Height}");
        return FromPlanar(tensor.ToArray<float>(), source);
    }
}
