using LiveStyle.Capture.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;

namespace LiveStyle.Cli.Stylize;

/// <summary>
/// The journey of one still image: file → pixels (OpenCV decode) → optional resize → tensor →
/// transform network → pixels (alpha restored) → encoded file written atomically.
/// </summary>
public sealed class StillImageStylizer(StyleModel model, int maxSize, bool overwrite)
{
    public void Run(string inputPath, string outputPath)
    {
        var source = ImageCodec.Read(inputPath);
        var (width, height) = source.FitWithin(maxSize);
        var sized = source.Resize(width, height);
        Image result;
        using (Torch.NewDisposeScope())
        {
            var input = ImageTensors.ToTensor(sized);
            var styled = model.Stylize(input);
            result = ImageTensors.ToImage(styled, sized);
        }
        ImageCodec.Write(outputPath, result, overwrite: overwrite);
    }
}
