using LiveStyle.Media.Images;
using LiveStyle.Tensors;

namespace LiveStyle.Models.Inference;

/// <summary>
/// One image through a model at its own size: planar floats → the model's engine (on the CPU through a planar
/// binding, kept while images keep their size; on CUDA as a tensor) → pixels, rounded, alpha restored.
/// </summary>
public sealed class StillStylizer(StyleModel model) : IDisposable
{
    private IPlanarStylizer? _binding;
    private (int Width, int Height) _boundSize;
    private float[] _planar = [], _styled = [];

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
            (_planar, _styled) = _binding.InPlace is { } own ? (own.Input, own.Output) : (new float[values], new float[values]);
        }
        ImageTensors.ToPlanar(image, _planar);
        if (_binding.InPlace != null) _binding.RunInPlace();
        else _binding.Run(_planar, _styled);
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
