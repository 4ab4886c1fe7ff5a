using LiveStyle.Capture.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Scheduling;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>
/// A still image's journey: file → pixels (OpenCV decode, header checks) → resize to --max-size →
/// planar floats → the model's engine (on the CPU through a planar binding, kept while images keep their
/// size; on CUDA as a tensor) → pixels (rounded, alpha restored) → encoded file written atomically.
/// <see cref="Stylize(Image)"/> is the middle of it, shared by the demo, model comparison and the tests; a folder of
/// images goes through <see cref="RunAll"/>, which decodes the next and encodes the last while the network runs.
/// </summary>
public sealed class StillJourney(StyleModel model, int maxSize = 0, bool overwrite = false) : IDisposable
{
    private IPlanarStylizer? _binding;
    private (int Width, int Height) _boundSize;
    private float[] _planar = [], _styled = [];

    public void Run(string inputPath, string outputPath) => Write(Stylize(Read(inputPath)), outputPath);

    private Image Read(string inputPath) => Read(inputPath, maxSize, (w, h) => StyleMemory.Check(model, w, h));

    /// <summary>
    /// Many images, each to its own output, through the lossless scheduler as convert runs frames: one image decodes
    /// and one encodes while another is in the network. An image that fails goes to <paramref name="done"/> with its
    /// exception and the others go on; <paramref name="cancel"/> stops them all.
    /// </summary>
    public void RunAll(IReadOnlyList<(string Input, string Output)> jobs, Action<(string Input, string Output), Exception?> done, CancellationToken cancel)
    {
        if (jobs.Count == 0) return;
        const int inFlight = 3; // decoding, in the network, encoding
        using var slots = new SemaphoreSlim(inFlight);
        var next = 0;
        Lossless.Run(inFlight,
            token =>
            {
                slots.Wait(token);
                return new StillItem();
            },
            item =>
            {
                item.Job = jobs[next++];
                item.Attempt(() => item.Photo = Read(item.Job.Input));
                return next < jobs.Count;
            },
            item =>
            {
                if (item.Photo != null) item.Attempt(() => item.Result = Stylize(item.Photo));
            },
            item =>
            {
                if (item.Result != null) item.Attempt(() => Write(item.Result, item.Job.Output));
                done(item.Job, item.Failure);
            },
            _ => slots.Release(), cancel);
    }

    private sealed class StillItem
    {
        public (string Input, string Output) Job;
        public Image? Photo, Result;
        public Exception? Failure;

        /// <summary>A failure stays with this image; stopping is not a failure and ends the run.</summary>
        public void Attempt(Action step)
        {
            try { step(); }
            catch (Exception e) when (e is not OperationCanceledException) { Failure = e; }
        }
    }

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
