using LiveStyle.Capture.Sources;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Live;

/// <summary>Frames from OpenCV's VideoCapture into pooled buffers: no managed allocation once warm, the same pixels as OpenCV's own resize.</summary>
public sealed class OpenCvSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(96, 64)] // the file's own size: decoded, then copied into the frame buffer
    [InlineData(60, 40)] // shrunk on the way
    [InlineData(128, 80)] // enlarged on the way
    public void ReadingAVideoFrameAllocatesNothingOnTheManagedHeapOnceWarm(int width, int height)
    {
        Ffmpeg.MakeClip(_dir["clip.mp4"], 96, 64, 30, rate: "25", audioStreams: 0);
        using var source = OpenCvSource.File(_dir["clip.mp4"]);
        var frame = new byte[width * height * 3];
        long last = -1;
        // As in FrameAllocationTests: tiered JIT may allocate at moments of its own, so wait for three clean windows.
        // (No Assert inside the loop: xunit's equality comparer allocates.)
        for (int window = 0, clean = 0; window < 30 && clean < 3; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 20; i++)
                if (source.Read(frame, width, height) != ReadResult.Frame) throw new InvalidOperationException("the clip ended early");
            last = GC.GetAllocatedBytesForCurrentThread() - before;
            clean = last == 0 ? clean + 1 : 0;
        }
        Assert.True(last == 0, $"20 frames still allocated {last} bytes");
    }

    [Theory]
    [InlineData(60, 40, OpenCvSharp.InterpolationFlags.Area)]
    [InlineData(128, 80, OpenCvSharp.InterpolationFlags.Linear)]
    public void AResizedFrameIsOpenCvsResizeOfTheDecodedOne(int width, int height, OpenCvSharp.InterpolationFlags expectedFilter)
    {
        Ffmpeg.MakeClip(_dir["clip.mp4"], 96, 64, 2, rate: "25", audioStreams: 0);
        var native = new byte[96 * 64 * 3];
        var resized = new byte[width * height * 3];
        using (var a = OpenCvSource.File(_dir["clip.mp4"])) Assert.Equal(ReadResult.Frame, a.Read(native, 96, 64));
        using (var b = OpenCvSource.File(_dir["clip.mp4"])) Assert.Equal(ReadResult.Frame, b.Read(resized, width, height));
        using var source = new OpenCvSharp.Mat(64, 96, OpenCvSharp.MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(native, 0, source.Data, native.Length);
        using var expected = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(source, expected, new OpenCvSharp.Size(width, height), 0, 0, expectedFilter);
        var pixels = new byte[resized.Length];
        System.Runtime.InteropServices.Marshal.Copy(expected.Data, pixels, 0, pixels.Length);
        Assert.Equal(pixels, resized);
    }
}
