using System.Globalization;
using System.Text;
using LiveStyle.Files;
using LiveStyle.Media.Video;
using LiveStyle.Render.Video;

namespace LiveStyle.Pipeline.Parts;

public sealed record JoinResult(int Parts, long Frames, IReadOnlyList<string> Notices);

/// <summary>
/// livestyle join: the parts of one conversion into one video, without re-encoding, with the original's sound,
/// subtitles, chapters and metadata as convert adds them. Everything is checked before anything is written: the parts
/// belong to one input and one set of settings, cover its frames exactly once, in order, and are each complete and
/// unchanged; any part that is missing, doubled, foreign, truncated or differently made is named.
/// </summary>
public static class JoinJourney
{
    /// <param name="original">The input the parts were cut from, when it is no longer where the parts recorded it.</param>
    public static JoinResult Run(string folder, string output, string? original, bool overwrite, Action<string> notice, CancellationToken cancel)
    {
        if (!Directory.Exists(folder)) throw new PartException($"{folder} is not a folder of parts");
        var records = Directory.EnumerateFiles(folder, "*.part-*-of-*.*.json").Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Manifest: PartManifest.Read(path))).ToList();
        if (records.Count == 0) throw new PartException($"{folder} holds no parts (files named NAME.part-K-of-N.EXT with their .json records)");

        // The input most parts are of is the one being joined; a part of another input is named, not skipped.
        var input = records.GroupBy(r => r.Manifest.Input.Fingerprint).OrderByDescending(g => g.Count()).First().First().Manifest.Input;
        foreach (var (path, m) in records)
            if (m.Input.Fingerprint != input.Fingerprint)
                throw new PartException($"{path} is a part of another video ({m.Input.Name}, {m.Input.Bytes:N0} bytes), not of {input.Name}; move it out of {folder}");
        var first = records[0].Manifest;
        foreach (var (path, m) in records)
        {
            if (m.Settings != first.Settings)
                throw new PartException($"{path} was converted with other settings than {records[0].Path} ({m.Settings} against {first.Settings})");
            if (m.Parts != first.Parts) throw new PartException($"{path} is part of a split into {m.Parts}, {records[0].Path} of one into {first.Parts}");
        }
        var parts = new PartManifest[first.Parts];
        foreach (var (path, m) in records)
        {
            if (parts[m.Part - 1] != null) throw new PartException($"{path} and {records.First(r => r.Manifest == parts[m.Part - 1]).Path} are both part {m.Part} of {m.Parts}");
            parts[m.Part - 1] = m;
        }
        for (var k = 0; k < parts.Length; k++)
        {
            if (parts[k] == null) throw new PartException($"part {k + 1} of {first.Parts} of {input.Name} is missing from {folder} (convert it with --part {k + 1}/{first.Parts})");
            var p = parts[k];
            var expectedFirst = k == 0 ? 0 : parts[k - 1].FirstFrame + parts[k - 1].Frames;
            if (p.FirstFrame != expectedFirst || (k > 0 && parts[k - 1].Next != p.Start) || (k == parts.Length - 1) != (p.Next == null))
                throw new PartException($"{Path.Combine(folder, p.File)} does not follow part {k} (frames {p.FirstFrame}–{p.FirstFrame + p.Frames - 1}): the parts were split differently");
            if (p.VideoProblem(folder) is { } problem) throw new PartException(problem);
        }

        var source = original ?? input.Path;
        if (!File.Exists(source)) throw new PartException($"the original {source} is not there any more; give it with --input");
        if (PartInput.Of(source, null).Fingerprint != input.Fingerprint)
            throw new PartException($"{source} is not the video these parts were made from ({input.Name}, {input.Bytes:N0} bytes); give that one with --input");

        var format = OutputFormat.FromPath(output);
        var info = VideoInfo.Probe(source);
        var list = Path.Combine(Path.GetTempPath(), $"livestyle-join-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(list, ConcatList(folder, parts));
            var settings = new EncodeSettings(output, format, format.DefaultCodec, null, "", 0, 0, info);
            using var file = AtomicFile.Reserve(Path.GetFullPath(output), overwrite);
            var (args, notices) = EncoderArguments.Join(settings, list, file.TemporaryPath);
            using (var ffmpeg = FfmpegProcess.Start("ffmpeg", args, stdin: false, stdout: false))
            {
                using var stop = cancel.Register(ffmpeg.Kill);
                if (ffmpeg.WaitForExit() != 0)
                {
                    cancel.ThrowIfCancellationRequested();
                    throw new VideoException($"cannot join the parts into {output}: {ffmpeg.LastError}");
                }
            }
            cancel.ThrowIfCancellationRequested();
            file.Publish();
            foreach (var n in notices) notice(n);
            return new JoinResult(parts.Length, parts.Sum(p => (long)p.Frames), notices);
        }
        catch (IOException e)
        {
            throw new PartException($"cannot write {output}: {e.Message}");
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>
    /// FFmpeg's concat list: each part for exactly the time it spans in the original (to the microsecond ffprobe prints), so
    /// every timestamp comes back as it was. (A Matroska output keeps whole milliseconds: there a frame's time can come out
    /// one millisecond off the single run's, where the audio's priming shifts the two timelines by a fraction.)
    /// </summary>
    private static string ConcatList(string folder, IReadOnlyList<PartManifest> parts)
    {
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var p in parts)
        {
            text.Append("file '").Append(Path.GetFullPath(Path.Combine(folder, p.File)).Replace("'", "'\\''")).Append("'\n");
            if (p.Next is { } next) text.Append("duration ").Append((next - p.Start).ToString("0.#########", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
