using LiveStyle.Media.Images;

namespace LiveStyle.Fuzz.Targets;

/// <summary>An image file as `stylize -i FILE` reads it: header size and truncation checks, then OpenCV's decoders (native code: a crash there is a finding too).</summary>
public sealed class ImageTarget : FuzzTarget
{
    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var image = new Image(16, 12, 3);
        for (var i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)(i * 7);
        foreach (var ext in ImageCodec.Extensions.Where(e => e != ".jpeg")) yield return ("seed" + ext, ImageCodec.Encode(image, ext));
    }

    protected override void Parse(byte[] input) => ImageCodec.Read(AsFile(input, "image"));
}
