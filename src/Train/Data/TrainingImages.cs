using LiveStyle.Media.Images;
using LiveStyle.Tensors;

namespace LiveStyle.Train.Data;

/// <summary>
/// Training batches from a folder of images: random crops (after scaling the shorter side to a random
/// length between 1.15x the crop and <see cref="MaxScale"/>) and random horizontal flips, all drawn
/// from the seed, the epoch and the image's place, so a run resumed at step N sees exactly the batches
/// an uninterrupted run would. Images are decoded on background threads ahead of the training loop and
/// kept, already scaled down to <see cref="MaxScale"/>, while they fit in memory; unreadable ones are
/// skipped and counted.
/// </summary>
public sealed class TrainingImages
{
    private const long CacheBudgetBytes = 1L << 30;
    private readonly string[] _files;
    private readonly Image?[] _decoded;
    private readonly bool[] _unreadable;
    private long _cachedBytes;

    /// <param name="maxScale">Largest shorter side before cropping; 0 or less keeps it at 1.15x the crop, as published.</param>
    public TrainingImages(string folder, int crop, int batch, int seed, int maxScale = 0)
    {
        if (!Directory.Exists(folder)) throw new TrainingException($"data folder {folder} does not exist");
        _files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(ImageCodec.IsImagePath).Order(StringComparer.Ordinal).ToArray();
        if (_files.Length == 0) throw new TrainingException($"{folder} holds no images ({string.Join(" ", ImageCodec.Extensions)})");
        (Crop, Batch, Seed) = (crop, batch, seed);
        MinScale = (int)Math.Ceiling(crop * 1.15);
        MaxScale = Math.Max(MinScale, maxScale);
        _decoded = new Image?[_files.Length];
        _unreadable = new bool[_files.Length];
    }

    public int MinScale { get; }
    public int MaxScale { get; }

    public int Crop { get; }
    public int Batch { get; }
    public int Seed { get; }
    public int Count => _files.Length;
    public int BatchesPerEpoch => Math.Max(1, _files.Length / Batch);
    public int Skipped => _skipped;
    private int _skipped;

    /// <summary>The batch of global step <paramref name="step"/>: [N, 3, crop, crop] float RGB 0..255.</summary>
    public float[] BatchAt(long step)
    {
        var epoch = (int)(step / BatchesPerEpoch);
        var order = Enumerable.Range(0, _files.Length).ToArray();
        new Random(StableSeed.Of(Seed, epoch)).Shuffle(order);
        var first = (int)(step % BatchesPerEpoch) * Batch;
        var plane = Crop * Crop;
        var data = new float[Batch * 3 * plane];
        Parallel.For(0, Batch, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            // A corrupt image is replaced by the next readable one in this epoch's order (deterministically).
            for (var k = 0; k < _files.Length; k++)
            {
                var index = order[(first + i + k) % _files.Length];
                var image = Decoded(index);
                if (image == null) continue;
                // Seeded by the slot, not the image, so an image drawn twice in one batch gets two different crops.
                RandomCrop.Into(image, new Random(StableSeed.Of(Seed, epoch, first + i)), MinScale, MaxScale, Crop, data.AsSpan(i * 3 * plane, 3 * plane));
                return;
            }
            throw new TrainingException("no image in the data folder could be read");
        });
        return data;
    }

    /// <summary>The image scaled down to <see cref="MaxScale"/>, the same whether it comes from memory or from disk.</summary>
    private Image? Decoded(int index)
    {
        if (Volatile.Read(ref _decoded[index]) is { } kept) return kept;
        if (Volatile.Read(ref _unreadable[index])) return null;
        Image image;
        try { image = ImageCodec.Read(_files[index]); }
        catch (ImageException)
        {
            Volatile.Write(ref _unreadable[index], true);
            Interlocked.Increment(ref _skipped);
            return null;
        }

        var (w, h) = ScaledDown(image.Width, image.Height, MaxScale);
        if ((w, h) != (image.Width, image.Height)) image = image.Resize(w, h);
        if (Interlocked.Add(ref _cachedBytes, image.Pixels.Length) <= CacheBudgetBytes) Volatile.Write(ref _decoded[index], image);
        return image;
    }

    /// <summary>The size whose shorter side is at most <paramref name="maxShorter"/>, keeping the aspect ratio: as large as augmentation will ever need.</summary>
    internal static (int Width, int Height) ScaledDown(int width, int height, int maxShorter)
    {
        var shorter = Math.Min(width, height);
        if (shorter <= maxShorter) return (width, height);
        var scale = (double)maxShorter / shorter;
        return (Math.Max(maxShorter, (int)Math.Round(width * scale)), Math.Max(maxShorter, (int)Math.Round(height * scale)));
    }

    public Tensor ToTensor(float[] batch) => Torch.FromArray(batch, Batch, 3, Crop, Crop);
}

public sealed class TrainingException(string message) : Exception(message);
