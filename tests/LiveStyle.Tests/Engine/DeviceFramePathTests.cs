using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Measure;
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
    public void StageTimesAccountForTheFrameAndPutTheNetworkWhereItIs()
    {
        var config = TransformNetConfig.Mobile;
        using var model = RandomNetworks.Model(config, engine: Models.Inference.Engine.Torch);
        using var stylizer = new BgrFrameStylizer(model, 128, 96, convertOnDevice: true) { TimeStages = true };
        var frame = TestImages.Gradient(128, 96).Pixels;
        var (accounted, network) = (new List<double>(), new List<double>());
        for (var i = 0; i < 5; i++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            stylizer.Stylize(frame);
            var total = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var s = Assert.IsType<FrameStages>(stylizer.LastStages);
            var sum = s.HostCopies + s.UploadAndConvert + s.Network + s.ConvertAndDownload;
            accounted.Add(sum / total);
            network.Add(s.Network / sum);
        }
        // Only the call into the stylizer lies outside the stages (microseconds against milliseconds), and copying 37 KB
        // or converting it takes microseconds while the network takes milliseconds: a stage timed in the wrong place fails.
        Assert.True(Percentiles.Median(accounted) >= 0.8, $"the stages cover {Percentiles.Median(accounted):P0} of the frame");
        Assert.True(Percentiles.Median(network) >= 0.5, $"the network is {Percentiles.Median(network):P0} of the stages");
    }
}
