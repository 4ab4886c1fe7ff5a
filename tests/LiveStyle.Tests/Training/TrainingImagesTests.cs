using LiveStyle.Media.Images;
using LiveStyle.Tests.Support;
using LiveStyle.Train.Data;

namespace LiveStyle.Tests.Training;

public sealed class TrainingImagesTests : IDisposable
{
    private const int Crop = 32;
    private readonly TempDir _dir = new();

    public TrainingImagesTests()
    {
        // A horizontal ramp: after scaling the shorter side to s, neighbouring pixels differ by 255/(W·s/H)
        // levels, since area averaging and linear interpolation both keep a linear ramp linear.
        Directory.CreateDirectory(_dir["ramp"]);
        const int w = 256, h = 256;
        var image = new Image(w, h, 3);
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            image.Pixels.AsSpan((y * w + x) * 3, 3).Fill((byte)x);
        ImageCodec.Write(Path.Combine(_dir["ramp"], "ramp.png"), image);
    }

    /// <summary>Steps <paramref name="from"/> up to <paramref name="to"/> as training reads them (TrainingRun asks BatchAt for each step).</summary>
    private static IEnumerable<float[]> Batches(TrainingImages data, long from, long to)
    {
        for (var step = from; step < to; step++) yield return data.BatchAt(step);
    }

    /// <summary>Mean |difference| between horizontal neighbours in each crop of each batch, i.e. 255 / (scaled width).</summary>
    private static List<double> Steps(TrainingImages data, int batches) =>
        Batches(data, 0, batches).SelectMany(batch => Enumerable.Range(0, data.Batch).Select(i =>
        {
            double sum = 0;
            var red = batch.AsSpan(i * 3 * Crop * Crop, Crop * Crop);
            for (var y = 0; y < Crop; y++)
            for (var x = 1; x < Crop; x++)
                sum += Math.Abs(red[y * Crop + x] - red[y * Crop + x - 1]);
            return sum / (Crop * (Crop - 1));
        })).ToList();

    [Fact]
    public void ThePublishedRecipeScalesTheShorterSideTo115PercentOfTheCrop()
    {
        var steps = Steps(new TrainingImages(_dir["ramp"], Crop, 2, 1), 10);
        // 256 px scaled to ceil(1.15·32) = 37: 255/37 = 6.9 levels per pixel; byte rounding moves a mean of 31 differences by < 0.1.
        Assert.All(steps, s => Assert.InRange(s, 6.4, 7.4));
    }

    [Fact]
    public void MaxScaleDrawsScalesUpToItSoStudentsLearnAtTheSizeTheyRunAt()
    {
        var steps = Steps(new TrainingImages(_dir["ramp"], Crop, 2, 1, maxScale: 256), 20);
        // Shorter sides uniform in 37..256: steps between 255/256 ≈ 1 and 6.9 levels, and spread over that range.
        Assert.All(steps, s => Assert.InRange(s, 0.9, 7.4));
        Assert.True(steps.Min() < 2.5 && steps.Max() > 4, $"steps {steps.Min():F2}..{steps.Max():F2}");
    }

    [Fact]
    public void KeptImagesGiveTheSameBatchesAsFreshlyDecodedOnes()
    {
        var data = new TrainingImages(_dir["ramp"], Crop, 2, 3, maxScale: 200);
        var first = Batches(data, 0, 4).ToList();
        var again = Batches(data, 0, 4).ToList();           // from memory
        var fresh = Batches(new TrainingImages(_dir["ramp"], Crop, 2, 3, maxScale: 200), 2, 4).ToList();
        Assert.Equal(first, again);
        Assert.Equal(first.Skip(2), fresh);
    }

    public void Dispose() => _dir.Dispose();
}
