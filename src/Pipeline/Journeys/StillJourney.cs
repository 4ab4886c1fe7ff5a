using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Scheduling;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>
/// A still image's journey: file → pixels (OpenCV decode, header checks) → resize to --max-size →
/// <see cref="StillStylizer"/> (planar floats → the model's engine → pixels, rounded, alpha restored) →
/// encoded file written atomically.
/// <see cref="Stylize(Image)"/> is the middle of it, shared by the demo, model comparison and the tests; a folder of
/// images goes through <see cref="RunAll"/>, which decodes the next and encodes the last while the network runs.
/// </summary>
public sealed class StillJourney(StyleModel model, int maxSize = 0, bool overwrite = false) : IDisposable
{
    private readonly StillStylizer _stylizer = new(model);

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
    public Image Stylize(Image image) => _stylizer.Stylize(image);

    public void Dispose() => _stylizer.Dispose();
}
