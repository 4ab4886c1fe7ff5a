using LiveStyle.Media.Images;
using LiveStyle.Media.Pixels;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;
using LiveStyle.Train.Loss;

namespace LiveStyle.Tests.Arbitrary;

/// <summary>A painting folded into a network: the same on both engines, and painted in the painting's style.</summary>
[Collection(Serial.Name)]
public sealed class PaintingStyleTests
{
    [Theory]
    [InlineData(384, 384)]
    [InlineData(640, 480)]
    [InlineData(321, 241)]
    public void BothEnginesPaintTheSame(int width, int height)
    {
        using var styles = new PaintingStyles(Paintings.Open());
        var weights = styles.Fold(new PaintingBlend([(Paintings.Style("starry_night.jpg"), 1f)]), new PaintingOptions());
        var photo = ImageCodec.Read(TestPaths.ContentImage("golden_gate.jpg")).Resize(width, height);
        var planar = new float[3 * width * height];
        ImageTensors.ToPlanar(photo, planar);
        float[] Run(Models.Inference.Engine engine)
        {
            using var model = StyleModel.FromWeights(weights, Device.Cpu, Precision.Fp32, engine: engine);
            using var binding = model.Engine.BindPlanar(width, height);
            var output = new float[planar.Length];
            binding.Run(planar, output);
            return output;
        }
        var onnx = Run(Models.Inference.Engine.Onnx);
        PixelComparison.AssertMatches(onnx, Run(Models.Inference.Engine.Torch), 0.999);
        Assert.True(PixelComparison.Psnr(onnx, planar) < 20, "the painting left the photo as it was");
    }

    /// <summary>
    /// A painting made here (seeded strokes, no training data of anyone's) becomes a style: the stylized photo's
    /// Gram matrices on SqueezeNet's style layers are much closer to the painting's than the photo's are.
    /// </summary>
    [Fact]
    public void APaintingMadeHereIsTakenAsAStyle()
    {
        using var dir = new TempDir();
        ImageCodec.Write(dir["strokes.png"], Paintings.Procedural(seed: 7));
        using var styles = new PaintingStyles(Paintings.Open());
        var photo = ImageCodec.Read(TestPaths.ContentImage("tubingen.jpg")).Resize(256, 192);
        using var model = StyleModel.FromWeights(styles.Fold(new PaintingBlend([(dir["strokes.png"], 1f)]), new PaintingOptions()), Device.Cpu, Precision.Fp32);
        using var journey = new StillJourney(model);
        var painted = journey.Stylize(photo);

        using var squeezeNet = LossNetworks.Open(TestPaths.WindowsMl("SqueezeNet_fp16.onnx"));
        using var scope = Torch.NewDisposeScope();
        var layers = squeezeNet.Paint.Style.Names;
        var target = squeezeNet.Features(ImageTensors.ToTensor(ImageCodec.Read(dir["strokes.png"])), layers).Select(StyleLosses.Gram).ToArray();
        double Distance(Image image)
        {
            var grams = squeezeNet.Features(ImageTensors.ToTensor(image), layers).Select(StyleLosses.Gram).ToArray();
            return grams.Zip(target).Sum(p => Functional.MseLoss(p.First, p.Second).Item());
        }
        var (before, after) = (Distance(photo), Distance(painted));
        Assert.True(after <= 0.6 * before, $"Gram distance to the painting: photo {before:G4}, stylized {after:G4} (more than 0.6 of the photo's)");
        Assert.True(Psnr.Of(painted.Pixels, photo.Pixels) < 20, "the stylized photo is the photo");
    }
}
