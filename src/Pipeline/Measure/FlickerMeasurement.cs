using LiveStyle.Capture.Video;
using LiveStyle.Media.Images;
using LiveStyle.Media.Motion;
using LiveStyle.Media.Video;

namespace LiveStyle.Pipeline.Measure;

public sealed record FlickerReport(IReadOnlyList<PairError> Pairs, int Width, int Height, FlowSettings Flow)
{
    /// <summary>The video's warping error: the mean over pairs that had visible pixels.</summary>
    public double Mean => Pairs.Where(p => p.Visible > 0).Select(p => p.Error).DefaultIfEmpty(0).Average();
}

/// <summary>
/// How much a stylized video flickers: the original and the stylized video decoded side by side at the
/// stylized video's size, frame for frame, through <see cref="WarpingError"/> with the input's flow.
/// </summary>
public static class FlickerMeasurement
{
    /// <summary>Two decoded frames, their grey and float copies, flow fields and Farneback's pyramids: about 115 bytes a pixel over 70 MB measured at 540p and 1080p (docs/LIMITS.md), with headroom.</summary>
    private const long FlowBaseBytes = 128L << 20, FlowBytesPerPixel = 160;

    public static FlickerReport Run(string input, string styled, Action<long, long?> progress, CancellationToken cancel)
    {
        var styledInfo = VideoInfo.Probe(styled);
        var inputInfo = VideoInfo.Probe(input);
        var (width, height) = styledInfo.DisplaySize;
        var (inputWidth, inputHeight) = inputInfo.DisplaySize;
        if (!Image.IsFittedFrom(width, height, inputWidth, inputHeight))
            throw new VideoException($"{styled} is {width}x{height}, not {input} ({inputWidth}x{inputHeight}) as it is or shrunk by --max-size: pass the video it was converted from");
        PixelLimit.Check(width, height, $"{styled}'s frame");
        MemoryLimit.Check(FlowBaseBytes + FlowBytesPerPixel * width * height, $"measuring flicker at {width}x{height}");
        using var original = new VideoDecoder(input, width, height);
        using var painted = new VideoDecoder(styled, width, height);
        byte[] a = new byte[original.FrameBytes], b = new byte[painted.FrameBytes];
        using var meter = new WarpingError(width, height, FlowSettings.Accurate);
        var pairs = new List<PairError>();
        long frames = 0;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            bool gotA = original.ReadNext(a), gotB = painted.ReadNext(b);
            if (gotA != gotB)
                throw new VideoException($"{input} and {styled} differ in length (one ends after {frames} frames): pass the video that {styled} was made from");
            if (!gotA) break;
            if (meter.Add(a, b) is { } pair) pairs.Add(pair);
            progress(++frames, inputInfo.FrameCount);
        }
        original.Finish();
        painted.Finish();
        if (frames < 2) throw new VideoException($"{input}: a warping error needs at least two frames, {frames} decoded");
        return new FlickerReport(pairs, width, height, FlowSettings.Accurate);
    }
}
