using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;
using InferenceEngine = LiveStyle.Models.Inference.Engine;

namespace LiveStyle.Tests.Engine;

public sealed class FrameAllocationTests
{
    [Theory]
    [InlineData("ml5", Precision.Fp32, false, InferenceEngine.Onnx)]     // ONNX Runtime: pinned buffers bound once
    [InlineData("mobile", Precision.Fp32, false, InferenceEngine.Onnx)]
    [InlineData("johnson", Precision.Fp32, false, InferenceEngine.Onnx)]
    [InlineData("painting", Precision.Fp32, false, InferenceEngine.Onnx)] // LiveStyle's blocked-norm operator inside ONNX Runtime
    [InlineData("ml5", Precision.Fp32, false, InferenceEngine.Torch)]    // TensorFlow padding, transposed convolutions, tanh output
    [InlineData("mobile", Precision.Fp32, false, InferenceEngine.Torch)] // pixel unshuffle, reflect padding, sub-pixel decoder, skips
    [InlineData("mobile", Precision.Bf16, false, InferenceEngine.Torch)] // weights cast per frame, padding by index_select
    [InlineData("johnson", Precision.Fp32, false, InferenceEngine.Torch)] // mean subtraction, margin, cropped shortcuts
    [InlineData("ml5", Precision.Fp32, true, InferenceEngine.Torch)]     // the GPU's frame path (conversion by tensor operations)
    [InlineData("mobile", Precision.Bf16, true, InferenceEngine.Torch)]
    public void StylizingAFrameAllocatesNothingOnTheManagedHeapOnceWarm(string network, Precision precision, bool convertOnDevice, InferenceEngine engine)
    {
        var config = TransformNetConfig.Mobile;
        using var model = network switch
        {
            "ml5" => StyleModel.Load(TestPaths.Ml5("wave"), Device.Cpu, precision, engine),
            "johnson" => StyleModel.Load(TestPaths.WindowsMl("candy.onnx"), Device.Cpu, precision, engine),
            "painting" => StyleModel.FromWeights(RandomNetworks.Lively(TransformNetConfig.Magenta with { Channels = [8, 16, 32] }, seed: 1), Device.Cpu, precision, engine: engine),
            _ => RandomNetworks.Model(config, precision, engine),
        };
        // 30x22 is not a multiple of 4, so the cropping and padding paths run too.
        using var stylizer = new BgrFrameStylizer(model, 30, 22, convertOnDevice);
        var frame = TestImages.Gradient(30, 22).Pixels;
        // The runtime itself allocates a few hundred bytes on this thread when tiered JIT compilation promotes a
        // method, at moments that depend on timing; so instead of a fixed warm-up, wait for three clean windows in a row.
        // Without wrapper recycling every frame allocates about 4 KB, so no window is ever clean.
        long last = -1;
        for (int window = 0, clean = 0; window < 40 && clean < 3; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 20; i++) stylizer.Stylize(frame);
            last = GC.GetAllocatedBytesForCurrentThread() - before;
            clean = last == 0 ? clean + 1 : 0;
        }
        Assert.True(last == 0, $"20 frames still allocated {last} bytes after 800");
    }
}
