using System.Globalization;

namespace LiveStyle.Media.Video;

/// <summary>
/// FFmpeg's options about time: trimming (the same for a decoder and an encoder's copy of the audio), and the option
/// that keeps every frame's timestamp as it is: <c>-fps_mode passthrough</c> since FFmpeg 5.1,
/// <c>-vsync passthrough</c> before it (Ubuntu 22.04 ships 4.4; static builds are often older). Asked of
/// the installed ffmpeg's own option list, since builds from git carry no release number.
/// </summary>
public static class FfmpegTiming
{
    private static readonly Lazy<string[]> Passthrough = new(() => Choose(OptionList()));

    public static IReadOnlyList<string> PassthroughArguments => Passthrough.Value;

    /// <summary>Input options that trim both the decoder and, identically, the encoder's copy of the audio.</summary>
    public static List<string> TrimArguments(TimeSpan? start, TimeSpan? end)
    {
        var args = new List<string>();
        if (start is { } s) args.AddRange(["-ss", Seconds(s)]);
        if (end is { } e) args.AddRange(["-to", Seconds(e)]);
        return args;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>From the text of <c>ffmpeg -h long</c>.</summary>
    public static string[] Choose(string optionList) =>
        optionList.Contains("-fps_mode", StringComparison.Ordinal) || !optionList.Contains("-vsync", StringComparison.Ordinal)
            ? ["-fps_mode", "passthrough"]
            : ["-vsync", "passthrough"];

    private static string OptionList()
    {
        try
        {
            using var probe = FfmpegProcess.Start("ffmpeg", ["-hide_banner", "-h", "long"], stdin: false, stdout: true);
            using var reader = new StreamReader(probe.Output);
            var text = reader.ReadToEnd();
            probe.WaitForExit();
            return text;
        }
        catch (VideoException)
        {
            return ""; // not installed: the command that needs it says so
        }
    }
}
