using LiveStyle.Models.Networks;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Scale;

/// <summary>Clips and a model for the scale-out tests: variable frame rate with sound, keyframes every 1.5 s.</summary>
public static class PartsFixture
{
    /// <summary>30 frames/s with every seventh frame held half a frame longer (variable frame rate), a sine tone, 160x120.</summary>
    /// <param name="lossless">x264 without loss, so the source's own keyframes cannot pop (for measuring flicker).</param>
    public static void Clip(string path, double seconds, int pattern = 0, bool lossless = false) =>
        Ffmpeg.MakeClip(path, 160, 120, seconds, "30", 1, ["-vf", $"setpts='(N+0.5*floor(N/7))/30/TB',hue=h={pattern * 90}", "-fps_mode", "vfr",
            "-c:v", "libx264", "-g", "45", .. (lossless ? new[] { "-qp", "0" } : []), "-c:a", "aac", "-shortest"]);

    public static string Model(TempDir dir)
    {
        var path = dir["mobile.safetensors"];
        if (!File.Exists(path)) RandomNetworks.Save(TransformNetConfig.Mobile, path, seed: 3, style: "student");
        return path;
    }

    /// <summary>The first audio stream's packets, as they are stored (a copy is byte for byte the same).</summary>
    public static byte[] Audio(string video) => Ffmpeg.RunBytes("ffmpeg", "-v", "error", "-i", video, "-map", "0:a:0", "-c", "copy", "-f", "adts", "pipe:1");
}
