using LiveStyle.Capture.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>
/// A still image's journey: file → pixels (OpenCV decode, header checks) → resize to --max-size →
/// planar floats → the model's engine (on the CPU through a planar binding, kept while images keep their
/// size; on CUDA as a tensor) → pixels (rounded, alpha restored) → encoded file written atomically.
/// <see cref="Stylize(Image)"/> is the middle of it, shared by the demo, model comparison and the tests.
/// </summary>
public sealed class StillJourney(StyleModel model, int maxSize = 0, bool overwrite = false) : IDisposable
{
    private IPlanarStylizer? _binding;
    private (int Width, int Height) _boundSize;
    private float[] _planar = [], _styled = [];

    public void Run(string inputPath, string outputPath) =>
        Write(Stylize(Read(inputPath, maxSize, (w, h) => StyleMemory.Check(model, w, h))), outputPath);

    /// <summary>
    /// The image at <paramref name="path"/>, shrunk to fit <paramref name="maxSize"/> (0: as it is);
    /// <paramref name="checkSize"/> sees the size it will have before it is decoded, where the header tells.
    /// </summary>
    public static Image Read(string path, int maxSize, Action<int, int>? checkSize = null)
    {
        var source = ImageCodec.Read(path, checkSize == null ? null : (w, h) =>
        {
            var (fw, fh) = Image.Fit(w, h, maxSize);
            checkSize(fw, fh);
        });
        var (width, height) = source.FitWithin(maxSize);
        return source.Resize(width, height);
    }

    public void Write(Image result, string outputPath) => ImageCodec.Write(outputPath, result, overwrite: overwrite);

    /// <summary>One image through the model, at its own size.</summary>
    public Image Stylize(Image image)
    {
        if (model.Device.IsCuda) return Stylize(image, model.Stylize);
        var values = 3 * image.Width * image.Height;
        if (_binding == null || _boundSize != (image.Width, image.Height))
        {
            _binding?.Dispose();
            _binding = null;
            StyleMemory.Check(model, image.Width, image.Height);
            _binding = model.Engine.BindPlanar(image.Width, image.Height);
            _boundSize = (image.Width, image.Height);
            _planar = new float[values];
            _styled = new float[values];
        }
        ImageTensors.ToPlanar(image, _planar);
        _binding.Run(_planar, _styled);
        return ImageTensors.FromPlanar(_styled, image);
    }

    /// <summary>
    /// One image through a network that maps a [1, 3, H, W] RGB 0..255 tensor to another of the same
    /// size (on whatever device the network moves it to); the tensors live only inside this call.
    /// </summary>
    public static Image Stylize(Image image, Func<Tensor, Tensor> network)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var styled = network(ImageTensors.ToTensor(image));
        using var onCpu = styled.Device.IsCuda ? styled.To(Device.Cpu) : styled.Alias();
        return ImageTensors.ToImage(onCpu, image);
    }

    public void Dispose() => _binding?.Dispose();
}
