using LiveStyle.Capture.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>
/// A still image's journey: file → pixels (OpenCV decode, header checks) → resize to --max-size →
/// planar tensor → network → pixels (rounded, alpha restored) → encoded file written atomically.
/// <see cref="Paint"/> is the middle of it, shared by the demo, model comparison and training previews.
/// </summary>
public sealed class StillJourney(StyleModel model, int maxSize, bool overwrite)
{
    public void Run(string inputPath, string outputPath)
    {
        var source = ImageCodec.Read(inputPath);
        var (width, height) = source.FitWithin(maxSize);
        var result = Paint(source.Resize(width, height), model.Stylize);
        ImageCodec.Write(outputPath, result, overwrite: overwrite);
    }

    /// <summary>
    /// One image through a network that maps a [1, 3, H, W] RGB 0..255 tensor to another of the same
    /// size (on whatever device the network moves it to); the tensors live only inside this call.
    /// </summary>
    public static Image Paint(Image image, Func<Tensor, Tensor> network)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var styled = network(ImageTensors.ToTensor(image));
        using var onCpu = styled.Device.IsCuda ? styled.To(Device.Cpu) : styled.Alias();
        return ImageTensors.ToImage(onCpu, image);
    }
}
