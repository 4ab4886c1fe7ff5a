using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

public class ImageCodecTests
{
    [Theory]
    [InlineData(".png", 1)]
    [InlineData(".png", 3)]
    [InlineData(".png", 4)]
    [InlineData(".bmp", 3)]
    [InlineData(".webp", 3)]
    public void LosslessFormatsRoundTripExactly(string ext, int channels)
    {
        using var dir = new TempDir();
        var image = TestImages.Gradient(17, 9, channels);
        var path = dir["img" + ext];
        if (ext == ".webp") ImageCodec.Write(path, image, quality: 101); // OpenCV: quality > 100 selects lossless WebP
        else ImageCodec.Write(path, image);
        var back = ImageCodec.Read(path);
        Assert.Equal((image.Width, image.Height, image.Channels), (back.Width, back.Height, back.Channels));
        Assert.Equal(image.Pixels, back.Pixels);
    }

    [Fact]
    public void JpegKeepsColourOrder()
    {
        using var dir = new TempDir();
        var red = new Image(16, 16, 3);
        for (var i = 0; i < red.Pixels.Length; i += 3) red.Pixels[i] = 250;
        ImageCodec.Write(dir["r.jpg"], red);
        var back = ImageCodec.Read(dir["r.jpg"]);
        Assert.InRange(back.Pixels[0], 240, 255);
        Assert.InRange(back.Pixels[2], 0, 15);
    }

    [Fact]
    public void CorruptTruncatedAndMissingFilesAreImageErrors()
    {
        using var dir = new TempDir();
        ImageCodec.Write(dir["ok.png"], TestImages.Gradient(40, 30));
        var bytes = File.ReadAllBytes(dir["ok.png"]);
        File.WriteAllBytes(dir["cut.png"], bytes[..20]);
        File.WriteAllBytes(dir["noise.jpg"], Enumerable.Range(0, 500).Select(i => (byte)(i * 31)).ToArray());
        File.WriteAllBytes(dir["empty.png"], []);
        foreach (var f in new[] { "cut.png", "noise.jpg", "empty.png", "missing.png" })
            Assert.Throws<ImageException>(() => ImageCodec.Read(dir[f]));
        Assert.Throws<ImageException>(() => ImageCodec.Write(dir["x.tiff2"], TestImages.Gradient(4, 4)));
    }

    [Fact]
    public void AlphaPassesThroughStylizationUnchanged()
    {
        var rgba = TestImages.Gradient(20, 12, 4);
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        using var scope = Torch.NewDisposeScope();
        var styled = ImageTensors.ToImage(model.Stylize(ImageTensors.ToTensor(rgba)), rgba);
        Assert.Equal(4, styled.Channels);
        for (var i = 3; i < rgba.Pixels.Length; i += 4) Assert.Equal(rgba.Pixels[i], styled.Pixels[i]);
    }

    [Fact]
    public void GrayInputBecomesStyledRgb()
    {
        var gray = TestImages.Gradient(20, 12, 1);
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        using var scope = Torch.NewDisposeScope();
        var styled = ImageTensors.ToImage(model.Stylize(ImageTensors.ToTensor(gray)), gray);
        Assert.Equal(3, styled.Channels);
        // A gray image is the RGB image with three equal channels, and is painted exactly as that one is.
        var rgb = new Image(gray.Width, gray.Height, 3, gray.Pixels.SelectMany(v => new[] { v, v, v }).ToArray());
        Assert.Equal(ImageTensors.ToImage(model.Stylize(ImageTensors.ToTensor(rgb)), rgb).Pixels, styled.Pixels);
        // In colour: wave paints blues and creams, so red and blue differ by tens of levels on average (a gray output by 0).
        var chroma = Enumerable.Range(0, gray.Width * gray.Height).Average(i => Math.Abs(styled.Pixels[i * 3] - styled.Pixels[i * 3 + 2]));
        Assert.True(chroma > 15, $"mean |R - B| {chroma:F1} levels");
    }
}
