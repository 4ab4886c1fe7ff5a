using System.Text.RegularExpressions;
using LiveStyle.Media.Images;

namespace LiveStyle.Capture.Sources;

/// <summary>Turns -i into a source: camera:N, /dev/videoN, testpattern, an image, a folder of images, a video file or a URL.</summary>
public static partial class SourceFactory
{
    public sealed record CameraMode(int Width, int Height, double Fps);

    public static IFrameSource Open(string spec, CameraMode mode)
    {
        if (spec == "testpattern") return new TestPatternSource(mode.Width > 0 ? mode.Width : 640, mode.Height > 0 ? mode.Height : 480, mode.Fps > 0 ? mode.Fps : 30);
        if (CameraSpec().Match(spec) is { Success: true } m) return OpenCvSource.Camera(int.Parse(m.Groups[1].Value), mode.Width, mode.Height, mode.Fps);
        if (spec.Contains("://")) return OpenCvSource.File(spec);
        if (Directory.Exists(spec)) return new StillSource(spec);
        if (File.Exists(spec)) return ImageCodec.IsImagePath(spec) ? new StillSource(spec) : OpenCvSource.File(spec);
        if (spec.StartsWith("camera", StringComparison.Ordinal) || spec.StartsWith("/dev/", StringComparison.Ordinal))
            throw new SourceException($"'{spec}' is not a camera: use camera:N or /dev/videoN");
        if (spec.Contains('/') || Path.HasExtension(spec)) throw new SourceException($"{spec} does not exist");
        throw new SourceException($"unknown source '{spec}': use camera:N, /dev/videoN, a video or image file, a folder of images, a URL, or testpattern");
    }

    [GeneratedRegex(@"^(?:camera:|/dev/video)(\d+)$")]
    private static partial Regex CameraSpec();
}
