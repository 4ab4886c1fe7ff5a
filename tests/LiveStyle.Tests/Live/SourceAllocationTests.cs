using LiveStyle.Capture.Sources;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Live;

public sealed class SourceAllocationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadingAVideoFrameAtItsOwnSizeAllocatesNothingOnTheManagedHeapOnceWarm()
    {
        const int width = 96, height = 64;
        Ffmpeg.MakeClip(_dir["clip.mp4"], width, height, 30, rate: "25", audioStreams: 0);
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
}
