using LiveStyle.Media.Images;
using LiveStyle.Media.Pixels;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Frames;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// One blend for every journey: convert blends the network's float output at --strength, live blends
/// the rounded output when it shows it, stills round at full strength; all by StrengthBlend's rule.
/// </summary>
public sealed class StrengthBlendTests
{
    [Fact]
    public void StillsVideoFramesAndLiveCopiesFollowOneRule()
    {
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, Precision.Fp32);
        var photo = TestImages.Photo(48, 36);
        var still = StillStylizer.Stylize(photo, model.Stylize);
        var bgr = ImageCodec.ToBgr(photo);

        var full = Transformed(model, bgr, 1);
        var stillBgr = ImageCodec.ToBgr(still);
        // Two engines' float outputs (whole image through the session vs the bound frame path) may differ in the last bits.
        Assert.True(full.Zip(stillBgr).All(p => Math.Abs(p.First - p.Second) <= 1), "a video frame at strength 1 differs from the still");
        Assert.True(full.Zip(bgr).Average(p => Math.Abs(p.First - p.Second)) > 20, "the network left the photo nearly unchanged");

        // Live shows the rounded result blended with the original; convert blends before rounding: at most the rounding apart.
        var half = Transformed(model, bgr, 0.4f);
        var shown = new byte[bgr.Length];
        StrengthBlend.Mix(full, bgr, 0.4f, shown);
        Assert.True(half.Zip(shown).All(p => Math.Abs(p.First - p.Second) <= 1), "convert's blend and live's disagree by more than rounding");
        var expected = full.Zip(bgr, (s, o) => s * 0.4 + o * 0.6).ToArray();
        Assert.True(shown.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 0.5 + 1e-4), "the blend is not stylized·s + original·(1 − s), rounded");

        Assert.Equal(2, StrengthBlend.ToByte(2.5f)); // ties to even, as torch.round on the GPU path
        Assert.Equal(4, StrengthBlend.ToByte(3.5f));
        Assert.Equal(255, StrengthBlend.Mix(300f, 0f, 1f));
        Assert.Equal(0, StrengthBlend.Mix(-20f, 0f, 1f));
    }

    private static byte[] Transformed(StyleModel model, byte[] bgr, float strength)
    {
        var frame = new Frame(48, 36);
        bgr.CopyTo(frame.Pixels, 0);
        using var transform = new FrameTransform([model], 48, 36, strength);
        transform.Apply(frame);
        return frame.Pixels;
    }
}
