using OpenCvSharp;

namespace LiveStyle.Media.Motion;

/// <summary>
/// What a temporal training loss needs of two consecutive grey frames: the optical flow from the first to
/// the second (<see cref="FlowSettings.Accurate"/>, as the warping error measures it) and which pixels of
/// the first stay visible in the second. One instance per thread; any number of pairs of its size.
/// </summary>
public sealed class PairMotion : IDisposable
{
    private readonly CvMat _first, _second, _forward, _backward;

    public PairMotion(int width, int height)
    {
        try
        {
            _first = new CvMat(width, height, MatType.CV_8UC1);
            _second = new CvMat(width, height, MatType.CV_8UC1);
            _forward = new CvMat(width, height, MatType.CV_32FC2);
            _backward = new CvMat(width, height, MatType.CV_32FC2);
        }
        catch
        {
            Dispose(); // the Mats made before the failure are released now
            throw;
        }
    }

    /// <summary>Fills <paramref name="flow"/> (dx, dy per pixel of the first frame) and <paramref name="visible"/> (1 or 0 per pixel); returns the number visible.</summary>
    public int Measure(ReadOnlySpan<byte> firstGray, ReadOnlySpan<byte> secondGray, Span<float> flow, Span<byte> visible)
    {
        firstGray.CopyTo(_first.AsSpan<byte>());
        secondGray.CopyTo(_second.AsSpan<byte>());
        var count = Cv.FlowBothWays(_first, _second, _forward, _backward, visible, FlowSettings.Accurate);
        _forward.AsSpan<float>().CopyTo(flow);
        return count;
    }

    public void Dispose()
    {
        _first?.Dispose();
        _second?.Dispose();
        _forward?.Dispose();
        _backward?.Dispose();
    }
}
