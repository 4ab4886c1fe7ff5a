using LiveStyle.Capture.Video;
using LiveStyle.Media.Images;
using LiveStyle.Media.Motion;
using LiveStyle.Media.Pixels;
using LiveStyle.Media.Video;
using LiveStyle.Train.Paint;

namespace LiveStyle.Train.Data;

/// <summary>
/// A step's pairs of consecutive video frames for the temporal term. <see cref="Frames"/> is
/// [2·Count, 3, Crop, Crop] float RGB 0..255: frames t first, then frames t+1 in the same order.
/// Frame t+1 seen from frame t is the bilinear blend, with <see cref="TapWeights"/>, of the four
/// positions in <see cref="Taps"/> (row k of Count·Crop² indices into the flattened (pair, y, x)
/// positions of the second frames); <see cref="Visible"/> is 1 where that pixel of frame t is seen in
/// frame t+1 and the flow can be trusted, 0 where it is occluded or leaves the crop.
/// </summary>
public sealed record PairBatch(int Count, int Crop, float[] Frames, long[] Taps, float[] TapWeights, float[] Visible)
{
    public const int Corners = 4;
}

/// <summary>
/// Pairs of consecutive frames from a video or a folder of videos, decoded once (at the largest scale
/// augmentation uses) and kept in memory. Both frames of a pair get the same random scale, crop and flip
/// (<see cref="RandomCrop"/>); the optical flow between the two crops and its occlusion mask come from
/// <see cref="PairMotion"/>, the method `metrics flicker` measures with. Draws depend only on the seed
/// and the step, so a resumed run sees the pairs an uninterrupted one would.
/// </summary>
public sealed class FramePairs
{
    private const long BudgetBytes = 1L << 30;
    private readonly List<Image[]> _clips = new();
    private readonly (int Clip, int Frame)[] _pairs;
    private readonly int _seed, _minScale, _maxScale;

    public FramePairs(string path, int crop, int count, int seed, int minScale, int maxScale, CancellationToken cancel)
    {
        (Crop, Count, _seed, _minScale, _maxScale) = (crop, count, seed, minScale, maxScale);
        var files = File.Exists(path) ? [path]
            : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(VideoFiles.IsVideoPath).Order(StringComparer.Ordinal).ToArray()
            : throw new TrainingException($"temporal data {path} does not exist: pass a video or a folder of videos");
        if (files.Length == 0) throw new TrainingException($"{path} holds no videos ({string.Join(" ", VideoFiles.Extensions)})");
        long bytes = 0;
        foreach (var file in files)
        {
            Image[] clip;
            try { clip = Decode(file, ref bytes, cancel); }
            catch (VideoException e) { throw new TrainingException(e.Message); }
            if (clip.Length >= 2) _clips.Add(clip);
        }
        _pairs = _clips.SelectMany((clip, c) => Enumerable.Range(0, clip.Length - 1).Select(f => (c, f))).ToArray();
        if (_pairs.Length == 0) throw new TrainingException($"{path}: no video has two frames, so there is no pair to learn from");
    }

    public int Crop { get; }
    public int Count { get; }
    public int Clips => _clips.Count;
    public int Pairs => _pairs.Length;

    private Image[] Decode(string file, ref long bytes, CancellationToken cancel)
    {
        var info = VideoInfo.Probe(file);
        var (width, height) = TrainingImages.ScaledDown(info.DisplaySize.Width, info.DisplaySize.Height, _maxScale);
        PixelLimit.Check(width, height, $"{file}'s frame");
        var frames = new List<Image>();
        using var decoder = new VideoDecoder(file, width, height);
        var frame = new byte[decoder.FrameBytes];
        while (decoder.ReadNext(frame))
        {
            cancel.ThrowIfCancellationRequested();
            bytes += decoder.FrameBytes;
            if (bytes > BudgetBytes)
                throw new TrainingException($"the temporal videos hold more than {BudgetBytes >> 30} GiB of frames at --max-scale {_maxScale}: pass shorter clips (a few seconds each is plenty)");
            frames.Add(ImageCodec.FromBgr(frame, width, height));
        }
        decoder.Finish();
        return frames.ToArray();
    }

    /// <summary>The pairs of global step <paramref name="step"/>, with their flow turned into sampling taps.</summary>
    public PairBatch BatchAt(long step)
    {
        var plane = Crop * Crop;
        var batch = new PairBatch(Count, Crop, new float[2 * Count * 3 * plane], new long[PairBatch.Corners * Count * plane],
            new float[PairBatch.Corners * Count * plane], new float[Count * plane]);
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, p =>
        {
            var (clip, frame) = _pairs[new Random(StableSeed.Of(_seed, step, p, 1)).Next(_pairs.Length)];
            var cropSeed = StableSeed.Of(_seed, step, p, 2);
            var first = batch.Frames.AsSpan(p * 3 * plane, 3 * plane);
            var second = batch.Frames.AsSpan((Count + p) * 3 * plane, 3 * plane);
            RandomCrop.Into(_clips[clip][frame], new Random(cropSeed), _minScale, _maxScale, Crop, first);
            RandomCrop.Into(_clips[clip][frame + 1], new Random(cropSeed), _minScale, _maxScale, Crop, second);

            var flow = new float[2 * plane];
            var visible = new byte[plane];
            using (var motion = new PairMotion(Crop, Crop)) motion.Measure(Gray(first), Gray(second), flow, visible);
            WriteTaps(batch, p, flow, visible);
        });
        return batch;
    }

    private static byte[] Gray(ReadOnlySpan<float> planar)
    {
        var plane = planar.Length / 3;
        var gray = new byte[plane];
        for (var i = 0; i < plane; i++) gray[i] = StrengthBlend.ToByte(ColorPreservation.Y(planar, plane, i));
        return gray;
    }

    private void WriteTaps(PairBatch batch, int pair, ReadOnlySpan<float> flow, ReadOnlySpan<byte> visible)
    {
        var plane = Crop * Crop;
        var all = Count * plane;
        var offset = pair * plane;
        for (var y = 0; y < Crop; y++)
        for (var x = 0; x < Crop; x++)
        {
            var i = y * Crop + x;
            var at = offset + i;
            batch.Visible[at] = visible[i];
            if (visible[i] == 0)
            {
                for (var k = 0; k < PairBatch.Corners; k++) batch.Taps[k * all + at] = at;
                continue;
            }
            // NonOccluded keeps only pixels whose flow lands inside the crop, so the four corners exist.
            float px = x + flow[2 * i], py = y + flow[2 * i + 1];
            int x0 = Math.Min((int)px, Crop - 2), y0 = Math.Min((int)py, Crop - 2);
            float ax = px - x0, ay = py - y0;
            ReadOnlySpan<(int Dx, int Dy, float Weight)> corners =
                [(0, 0, (1 - ax) * (1 - ay)), (1, 0, ax * (1 - ay)), (0, 1, (1 - ax) * ay), (1, 1, ax * ay)];
            for (var k = 0; k < PairBatch.Corners; k++)
            {
                batch.Taps[k * all + at] = offset + (y0 + corners[k].Dy) * Crop + x0 + corners[k].Dx;
                batch.TapWeights[k * all + at] = corners[k].Weight;
            }
        }
    }
}
