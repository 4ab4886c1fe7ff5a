using System.Diagnostics;
using LiveStyle.Capture.Video;
using LiveStyle.Media.Images;
using LiveStyle.Media.Video;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Frames;
using LiveStyle.Pipeline.Scheduling;
using LiveStyle.Pipeline.Transform;
using LiveStyle.Render.Video;

namespace LiveStyle.Pipeline.Journeys;

public sealed record ConversionOptions(
    (int Width, int Height)? Size = null, int MaxSize = 0, TimeSpan? Start = null, TimeSpan? End = null,
    VideoCodec? Codec = null, int? Crf = null, string Preset = "medium", float Strength = 1, bool Overwrite = false, float Stabilize = 0)
{
    /// <summary>Only these frames, the video alone (the join adds the rest): a part of a conversion split over machines.</summary>
    public Parts.PartRange? Part { get; init; }
}

public sealed record ConversionResult(long Frames, TimeSpan Elapsed, TimeSpan Inference, int Width, int Height);

/// <summary>
/// A video's journey (convert): file → FFmpeg decode (rotation, trim and scaling applied once) →
/// pooled frames → transform (style at --strength, then temporal stabilisation) → the same frames →
/// FFmpeg encode with the original's audio, subtitles and chapters → temporary file → final name.
/// Decode, transform and encode run on their own threads under the lossless scheduler: every frame
/// is kept, in order.
/// </summary>
public static class VideoJourney
{
    public static ConversionResult Run(string input, string output, StyleModel model, ConversionOptions options,
        Action<long, long?> progress, Action<string> notice, CancellationToken cancel)
    {
        var info = VideoInfo.Probe(input);
        var (width, height) = ProcessingSize(info, options);
        var format = OutputFormat.FromPath(output);
        var part = options.Part;
        var settings = new EncodeSettings(output, format, options.Codec ?? format.DefaultCodec, options.Crf, options.Preset,
            width, height, info, options.Start, options.End) { VideoOnly = part != null };
        var expected = part?.Frames ?? ExpectedFrames(info, options);

        using var encoder = new VideoEncoder(settings, options.Overwrite);
        foreach (var n in encoder.Notices) notice(n);
        using var decoder = new VideoDecoder(input, width, height, options.Start, options.End, part is { } p ? (p.Seek, p.Frames) : null);
        using var transform = new FrameTransform([model], width, height, options.Strength, options.Stabilize);
        if (part is { WarmUpCount: > 0 } && options.Stabilize > 0) WarmUp(input, width, height, part, transform);
        using var pool = new FramePool<VideoFrame>(9, () => new VideoFrame(width, height));
        var clock = Stopwatch.StartNew();
        var inference = 0.0;
        long frames = 0;
        try
        {
            Lossless.Run(pool,
                frame => frame.HasPixels = decoder.ReadNext(frame.Container, frame.Pixels),
                frame =>
                {
                    transform.Apply(frame);
                    inference += transform.LastStylizeMs;
                },
                frame => encoder.Write(frame.Container.Span, frame.HasPixels ? frame.Pixels : default),
                frame =>
                {
                    if (frame.HasPixels) progress(++frames, expected);
                },
                cancel);
            decoder.Finish();
            if (frames == 0) throw new VideoException($"{input}: no frames decoded{(options.Start != null ? " in the chosen --start/--end range" : "")}");
            // FFmpeg decodes what it can of a cut-off file and exits cleanly; the container's own frame count tells.
            if (info.FrameCountDeclared && options.Start == null && options.End == null && part == null && frames < info.FrameCount)
                throw new VideoException($"{input} is truncated or corrupt: it declares {info.FrameCount} frames, only {frames} could be decoded");
            if (part != null && frames != part.Frames)
                throw new VideoException($"{input}: part {part.Part} of {part.Parts} should hold {part.Frames} frames, {frames} were decoded (was the file changed?)");
            encoder.Finish();
        }
        catch
        {
            encoder.Abort();
            throw;
        }
        return new ConversionResult(frames, clock.Elapsed, TimeSpan.FromMilliseconds(inference), width, height);
    }

    /// <summary>The frames just before a part go through the stabiliser, and nowhere else, so it starts the part as a single run would.</summary>
    private static void WarmUp(string input, int width, int height, Parts.PartRange part, FrameTransform transform)
    {
        using var decoder = new VideoDecoder(input, width, height, range: (part.WarmUpSeek, part.WarmUpCount));
        var frame = new Frame(width, height);
        while (decoder.ReadNext(frame.Pixels)) transform.Apply(frame);
        decoder.Finish();
    }

    /// <summary>--size, else the display size shrunk to --max-size; always at least 1x1.</summary>
    public static (int Width, int Height) ProcessingSize(VideoInfo info, ConversionOptions options)
    {
        if (options.Size is { } size) return size;
        var (w, h) = info.DisplaySize;
        var fitted = Image.Fit(w, h, options.MaxSize);
        PixelLimit.Check(fitted.Width, fitted.Height, $"{info.Path}'s frame");
        return fitted;
    }

    private static long? ExpectedFrames(VideoInfo info, ConversionOptions options)
    {
        if (options.Start == null && options.End == null) return info.FrameCount;
        if (info.FrameRate is not { } rate || info.Duration is not { } duration) return null;
        var from = options.Start?.TotalSeconds ?? 0;
        var to = Math.Min(options.End?.TotalSeconds ?? duration, duration);
        return Math.Max(0, (long)Math.Round((to - from) * rate));
    }
}
