using LiveStyle.Media.Video;

namespace LiveStyle.Tests.Video;

public sealed class FfmpegTimingTests
{
    [Fact]
    public void OlderFfmpegGetsVsyncAndNewerGetsFpsMode()
    {
        // Excerpts of `ffmpeg -h long`: 4.x lists only -vsync, 5.1 and later list -fps_mode (and -vsync, deprecated).
        Assert.Equal(["-vsync", "passthrough"], FfmpegTiming.Choose("-vsync              video sync method\n-frames number"));
        Assert.Equal(["-fps_mode", "passthrough"], FfmpegTiming.Choose("-vsync              set video sync method globally; deprecated, use -fps_mode\n-fps_mode[:<stream_spec>] set framerate mode"));
    }

    [Fact]
    public void TheInstalledFfmpegKnowsTheChosenOption()
    {
        using var probe = FfmpegProcess.Start("ffmpeg", ["-hide_banner", "-h", "long"], stdin: false, stdout: true);
        var text = new StreamReader(probe.Output).ReadToEnd();
        probe.WaitForExit();
        Assert.Contains(FfmpegTiming.PassthroughArguments[0], text);
    }
}
