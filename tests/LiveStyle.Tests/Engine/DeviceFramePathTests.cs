using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Engine;

/// <summary>
/// The GPU frame path (bytes uploaded as they are, converted, blended and rounded by tensor operations) runs
/// on the CPU too, so its arithmetic and channel order are pinned here against the CPU path's bytes.
/// </summary>
public sealed class DeviceFramePathTests
{
    [Theory]
    [InlineData(Precision.Fp32, 1f)]
    [InlineData(Precision.Fp32, 0.35f)]
    [InlineData(Precision.Bf16, 1f)]   // rounded in the model's own precision
    [InlineData(Precision.Bf16, 0.6f)] // blended in float32
    public void DevicePathGivesTheCpuPathsBytes(Precision precision, float strength)
    {
        using var model = StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, precision, Models.Inference.Engine.Torch);
        const int width = 37, height = 23;
        var frame = TestImages.Gradient(width, height).Pixels;
        var onHost = frame.ToArray();
        var onDevice = frame.ToArray();
        using (var host = new BgrFrameStylizer(model, width, height, convertOnDevice: false) { Strength = strength })
            host.Stylize(onHost);
        using (var device = new BgrFrameStylizer(model, width, height, convertOnDevice: true) { Strength = strength })
            device.Stylize(onDevice);

        Assert.Equal(onHost, onDevice);
        // Not the input: the network ran (an identity path or a swapped channel order would show here).
        var meanChange = frame.Zip(onDevice, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanChange > 10 * strength, $"mean change {meanChange:F1} levels");
    }

    [Fact]
    public void StageTimesAddUpToNoMoreThanTheFrame()
    {
        var config = TransformNetConfig.Mobile;
        using var model = StyleModel.FromNetwork(new TransformNet(config), new ModelInfo(config, "random", "test", new Dictionary<string, string>()), Device.Cpu, Precision.Fp32, engine: Models.Inference.Engine.Torch);
        using var stylizer = new BgrFrameStylizer(model, 32, 24, convertOnDevice: true) { TimeStages = true };
        var frame = TestImages.Gradient(32, 24).Pixels;
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        stylizer.Stylize(frame);
        var total = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var s = Assert.IsType<FrameStages>(stylizer.LastStages);
        Assert.True(s.Network > 0 && s.UploadAndConvert >= 0 && s.ConvertAndDownload >= 0 && s.HostCopies >= 0);
        Assert.True(s.HostCopies + s.UploadAndConvert + s.Network + s.ConvertAndDownload <= total + 0.01);
    }
}
