using LiveStyle.Capture.Video;

namespace LiveStyle.Pipeline.Parts;

/// <summary>
/// One part of a video: frames [<see cref="FirstFrame"/>, FirstFrame + <see cref="Frames"/>) in presentation order,
/// starting at a keyframe, so it decodes on its own. <see cref="Seek"/> is halfway between the frame before it and its
/// first frame: seeking there keeps exactly its frames, whatever rounding the timestamps see. <see cref="Next"/> is the
/// next part's first timestamp (null for the last part): the joined stream's time for this part to last.
/// </summary>
/// <param name="WarmUpFirst">The first of the frames before the part that go through the stabiliser first (not written), so the seam does not flicker.</param>
/// <param name="WarmUpSeek">Where to seek for them, as <see cref="Seek"/> is for the part.</param>
public sealed record PartRange(int Part, int Parts, int FirstFrame, int Frames, double Seek, double Start, double? Next, int WarmUpFirst, double WarmUpSeek)
{
    public int WarmUpCount => FirstFrame - WarmUpFirst;

    /// <summary>
    /// Frames the stabiliser needs before a part so that where it starts weighs under 0.5% of the first frame written:
    /// its blend keeps <paramref name="strength"/> of the past each frame (24 frames at the default 0.8); none without it.
    /// </summary>
    public static int WarmUpFor(float strength) =>
        strength <= 0 ? 0 : strength >= 1 ? 120 : Math.Clamp((int)Math.Ceiling(Math.Log(0.005) / Math.Log(strength)), 1, 120);
}

/// <summary>Splits a video into N parts at the keyframes nearest to equal frame counts: every frame in exactly one part.</summary>
public static class PartPlan
{
    /// <param name="warmUp">Frames before each part to run through the stabiliser first (<see cref="PartRange.WarmUpFor"/>).</param>
    public static IReadOnlyList<PartRange> Split(VideoPackets packets, int parts, string what, int warmUp = 0)
    {
        var keys = Enumerable.Range(0, packets.Count).Where(i => packets.Keyframes[i]).ToList();
        if (keys.Count == 0 || keys[0] != 0) keys.Insert(0, 0);
        if (parts > keys.Count)
            throw new ArgumentException($"{what} has {keys.Count} keyframes, so it splits into at most {keys.Count} parts, not {parts}");
        var bounds = new List<int> { 0 };
        var at = 0; // index in keys of the last boundary
        for (var k = 1; k < parts; k++)
        {
            var target = (double)k * packets.Count / parts;
            // The keyframe nearest the target, after the last boundary, that leaves one keyframe for every later part.
            var last = keys.Count - (parts - k);
            var found = keys.BinarySearch((int)Math.Round(target));
            var near = Math.Clamp(found >= 0 ? found : ~found, at + 1, last);
            var best = near > at + 1 && Math.Abs(keys[near - 1] - target) <= Math.Abs(keys[near] - target) ? near - 1 : near;
            at = best;
            bounds.Add(keys[best]);
        }
        bounds.Add(packets.Count);
        return Enumerable.Range(0, parts).Select(k =>
        {
            var (first, end) = (bounds[k], bounds[k + 1]);
            var warm = Math.Max(0, first - warmUp);
            return new PartRange(k + 1, parts, first, end - first, SeekTo(packets, first), packets.Times[first], end < packets.Count ? packets.Times[end] : null,
                warm, SeekTo(packets, warm));
        }).ToList();
    }

    private static double SeekTo(VideoPackets packets, int frame) => frame == 0 ? 0 : (packets.Times[frame - 1] + packets.Times[frame]) / 2;

    /// <summary>"K/N", or "auto/N" from the batch engine's task index (Slurm's array task id, Kubernetes' completion index).</summary>
    public static (int Part, int Parts) Parse(string text, Func<string, string?> environment)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text[(slash + 1)..], out var parts) || parts is < 1 or > 10_000)
            throw new ArgumentException($"--part '{text}' is not K/N (or auto/N) with N from 1 to 10000");
        var part = text[..slash] == "auto" ? FromEngine(environment, parts) : int.TryParse(text[..slash], out var k) ? k : 0;
        if (part < 1 || part > parts) throw new ArgumentException($"--part {text}: the part must be 1 to {parts}, not {part}");
        return (part, parts);
    }

    private static int FromEngine(Func<string, string?> environment, int parts)
    {
        if (int.TryParse(environment("SLURM_ARRAY_TASK_ID"), out var task))
            return task - (int.TryParse(environment("SLURM_ARRAY_TASK_MIN"), out var min) ? min : 1) + 1;
        if (int.TryParse(environment("JOB_COMPLETION_INDEX"), out var index)) return index + 1;
        throw new ArgumentException($"--part auto/{parts} takes the part from the batch engine, but neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set");
    }
}
