using LiveStyle.Capture.Images;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Transform;

/// <summary>Between images and the networks' [1, 3, H, W] float32 RGB 0..255 tensors.</summary>
public static class ImageTensors
{
    /// <summary>Gray is replicated to RGB; alpha is left out (the caller keeps it from the source image).</summary>
    public static Tensor ToTensor(Image image)
    {
        int w = image.Width, h = image.Height, c = image.Channels, plane = w * h;
        var data = new float[3 * plane];
        var px = image.Pixels;
        for (var i = 0; i < plane; i++)
        {
            var s = i * c;
            data[i] = px[s];
            data[plane + i] = px[c >= 3 ? s + 1 : s];
            data[2 * plane + i] = px[c >= 3 ? s + 2 : s];
        }
        return Torch.FromArray(data, 1, 3, h, w);
    }

    /// <summary>Rounds and clamps to 8 bits; the result has the source's channel layout and alpha.</summary>
    public static Image ToImage(Tensor tensor, Image source)
    {
        int h = (int)tensor.Size(2), w = (int)tensor.Size(3), plane = w * h;
        if (h != source.Height || w != source.Width)
            throw new ArgumentException($"tensor is {w}x{h}, source image {source.Width}x{source.Height}");
        var data = tensor.ToArray<float>();
        var result = new Image(w, h, source.Channels == 1 ? 3 : source.Channels);
        var px = result.Pixels;
        var c = result.Channels;
        for (var i = 0; i < plane; i++)
        {
            var d = i * c;
            px[d] = StrengthBlend.ToByte(data[i]);
            px[d + 1] = StrengthBlend.ToByte(data[plane + i]);
            px[d + 2] = StrengthBlend.ToByte(data[2 * plane + i]);
            if (c == 4) px[d + 3] = source.Pixels[i * 4 + 3];
        }
        return result;
    }
}
