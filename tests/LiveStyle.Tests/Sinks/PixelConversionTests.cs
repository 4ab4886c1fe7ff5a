using LiveStyle.Render.Sinks;
using LiveStyle.Render.Sinks.V4l2;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Sinks;

/// <summary>Virtual-camera pixel formats against FFmpeg's own conversion of the same frame (golden buffers made by swscale).</summary>
public sealed class PixelConversionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(PixelConversion.Yuyv, "yuyv422")]
    [InlineData(PixelConversion.I420, "yuv420p")]
    [InlineData(PixelConversion.Rgb24, "rgb24")]
    public void MatchesFfmpeg(uint format, string ffmpegFormat)
    {
        const int w = 64, h = 48;
        // A smooth scene: chroma averaging and swscale's filter agree to within rounding there.
        var bgr = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            (bgr[(y * w + x) * 3], bgr[(y * w + x) * 3 + 1], bgr[(y * w + x) * 3 + 2]) = ((byte)(x * 4), (byte)(y * 5), (byte)(128 + (x - y)));
        File.WriteAllBytes(_dir["in.bgr"], bgr);
        var golden = Ffmpeg.RunBytes("ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{w}x{h}", "-i", _dir["in.bgr"],
            "-sws_flags", "bilinear+accurate_rnd", "-color_range", "tv", "-colorspace", "smpte170m", "-f", "rawvideo", "-pix_fmt", ffmpegFormat, "pipe:1");
        var ours = new byte[PixelConversion.FrameSize(format, w, h)];
        PixelConversion.Convert(format, bgr, w, h, ours);
        Assert.Equal(golden.Length, ours.Length);
        var max = golden.Zip(ours, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(max <= 2, $"differs from FFmpeg by up to {max} levels"); // fixed-point rounding vs swscale's
    }

    [Fact]
    public void KnownColoursHaveTheirBt601Values()
    {
        Assert.Equal((16, 128, 128), (PixelConversion.Y(0, 0, 0), PixelConversion.U(0, 0, 0), PixelConversion.V(0, 0, 0)));
        Assert.Equal((235, 128, 128), (PixelConversion.Y(255, 255, 255), PixelConversion.U(255, 255, 255), PixelConversion.V(255, 255, 255)));
        Assert.Equal((82, 90, 240), (PixelConversion.Y(255, 0, 0), PixelConversion.U(255, 0, 0), PixelConversion.V(255, 0, 0)));
    }
}

/// <summary>Format negotiation against recorded answers of real drivers (v4l2loopback's behaviour, a camera, a picky device).</summary>
public class V4l2NegotiationTests
{
    /// <summary>Replays a driver: which formats it keeps, and the size it forces, like v4l2loopback once a reader has fixed the format.</summary>
    private sealed class RecordedDevice(uint caps, uint[] accepts, (uint W, uint H)? forcedSize = null) : IV4l2Device
    {
        public List<PixFormat> Requests { get; } = new();
        public List<int> Writes { get; } = new();
        public string Path => "/dev/video42";
        public uint DeviceCapabilities => caps;
        public bool Disposed { get; private set; }

        public PixFormat SetFormat(PixFormat requested)
        {
            Requests.Add(requested);
            // Drivers answer with their own choice: an unsupported fourcc comes back changed.
            var format = accepts.Contains(requested.PixelFormat) ? requested.PixelFormat : accepts[0];
            var (w, h) = forcedSize ?? (requested.Width, requested.Height);
            return new PixFormat(w, h, format, 0, 0);
        }

        public void Write(ReadOnlySpan<byte> frame) => Writes.Add(frame.Length);
        public void Dispose() => Disposed = true;
    }

    private const uint VideoOutput = 0x2, VideoCapture = 0x1;

    [Fact]
    public void LoopbackTakesYuyvAndFramesAreConvertedToIt()
    {
        var device = new RecordedDevice(VideoOutput | 0x04000000, [PixelConversion.Yuyv, PixelConversion.I420]);
        using var sink = new V4l2LoopbackSink(device, 64, 48);
        Assert.Equal(PixelConversion.Yuyv, sink.Format.PixelFormat);
        sink.Write(new byte[64 * 48 * 3], 64, 48);
        Assert.Equal(64 * 48 * 2, Assert.Single(device.Writes));
    }

    [Fact]
    public void FallsBackToI420AndFollowsASizeTheDeviceForces()
    {
        var device = new RecordedDevice(VideoOutput, [PixelConversion.I420], forcedSize: (32, 24));
        using var sink = new V4l2LoopbackSink(device, 64, 48);
        Assert.Equal(new[] { PixelConversion.Yuyv, PixelConversion.I420 }, device.Requests.Select(r => r.PixelFormat));
        Assert.Equal((32u, 24u), (sink.Format.Width, sink.Format.Height));
        sink.Write(new byte[64 * 48 * 3], 64, 48);
        Assert.Equal(32 * 24 * 3 / 2, Assert.Single(device.Writes));
    }

    [Fact]
    public void ACameraIsNotAVirtualCameraOutput()
    {
        var device = new RecordedDevice(VideoCapture, [PixelConversion.Yuyv]);
        var e = Assert.Throws<SinkException>(() => new V4l2LoopbackSink(device, 64, 48));
        Assert.Contains("not a video output", e.Message);
        Assert.Contains("modprobe v4l2loopback", e.Message);
        Assert.True(device.Disposed);
    }

    [Fact]
    public void ADeviceWithNoUsableFormatIsRefused()
    {
        var device = new RecordedDevice(VideoOutput, [0x47504A4D /* MJPG */]);
        Assert.Contains("accepts none of", Assert.Throws<SinkException>(() => new V4l2LoopbackSink(device, 64, 48)).Message);
    }

    [Fact]
    public void AMissingDeviceNamesTheModprobeStep() =>
        Assert.Contains("modprobe v4l2loopback", Assert.Throws<SinkException>(() => new V4l2DeviceFile("/dev/video77")).Message);
}
