using LiveStyle.Capture.Sources;
using LiveStyle.Media.Images;

namespace LiveStyle.Pipeline.Styles;

/// <summary>The first frame of a live or video input, as a still: the photo a painting's intensity moves towards.</summary>
public static class ReferenceFrame
{
    public static Image Read(string spec)
    {
        using var source = SourceFactory.Open(spec, new SourceFactory.CameraMode(0, 0, 0));
        var bgr = new byte[3L * source.Width * source.Height];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var result = source.Read(bgr, source.Width, source.Height);
            if (result == ReadResult.Frame) return ImageCodec.FromBgr(bgr, source.Width, source.Height);
            if (result == ReadResult.End) break;
            Thread.Sleep(100);
        }
        throw new SourceException($"{spec} gave no frame to take the photo's own style from (--intensity)");
    }
}
