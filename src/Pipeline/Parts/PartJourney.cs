using LiveStyle.Capture.Video;
using LiveStyle.Media.Video;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;

namespace LiveStyle.Pipeline.Parts;

/// <summary>What happened to one part: converted now, or found complete and left as it was.</summary>
public sealed record PartResult(string Video, PartRange Range, bool Skipped, ConversionResult? Conversion);

/// <summary>
/// One part of a conversion split over machines (convert --part K/N): the input's frames are split at keyframes
/// (<see cref="PartPlan"/>), this part's frames go through the video journey into their own file, and a record of
/// input, settings and range is written beside it last. A part already complete with the same input and settings is
/// skipped, so a re-run after a failed node does only what is missing.
/// </summary>
public static class PartJourney
{
    /// <param name="settings">A description of everything that decides the pixels (model, strength, size, codec...): parts join only when it is the same.</param>
    public static PartResult Run(string input, string folder, string extension, int part, int parts, StyleModel model, string settings,
        ConversionOptions options, Action<long, long?> progress, Action<string> notice, CancellationToken cancel)
    {
        if (options.Start != null || options.End != null) throw new PartException("--part splits the whole video: trim it with --start/--end in a conversion of its own first");
        var info = VideoInfo.Probe(input);
        var range = PartPlan.Split(VideoPackets.Probe(input), parts, input, PartRange.WarmUpFor(options.Stabilize))[part - 1];
        var video = PartManifest.VideoPath(folder, input, part, parts, extension);
        var record = PartManifest.PathOf(video);
        var source = PartInput.Of(input, info.Duration);
        if (File.Exists(record) && Done(record, folder, source, settings, range)) return new PartResult(video, range, true, null);

        var result = VideoJourney.Run(input, video, model, options with { Overwrite = true, Part = range }, progress, notice, cancel);
        new PartManifest(PartManifest.CurrentFormat, source, settings, part, parts, range.FirstFrame, range.Frames, range.Start, range.Next,
            Path.GetFileName(video), new FileInfo(video).Length, PartManifest.Sha256(video)).Write(record);
        return new PartResult(video, range, false, result);
    }

    private static bool Done(string record, string folder, PartInput source, string settings, PartRange range)
    {
        try
        {
            var m = PartManifest.Read(record);
            return m.Input.Fingerprint == source.Fingerprint && m.Settings == settings && m.FirstFrame == range.FirstFrame && m.Frames == range.Frames
                   && m.VideoProblem(folder) == null;
        }
        catch (PartException) { return false; }
    }
}
