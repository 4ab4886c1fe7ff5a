using OpenCvSharp;

namespace LiveStyle.Media.Motion;

/// <summary>One pair of consecutive frames: its warping error and the share of pixels it was measured on.</summary>
public readonly record struct PairError(long Frame, double Error, double Visible);

/// <summary>
/// The warping error of Lai et al. 2018 ("Learning Blind Video Temporal Consistency", eq. 9), fed one frame
/// at a time: for frames t and t+1, the optical flow of the input video from t to t+1 (and back, for the
/// occlusion mask <see cref="FlowMaps.NonOccluded"/>), the stylized frame t+1 warped back to t along it,
/// and the mean of (S_t − warp(S_t+1))² over the visible pixels and the three channels, with pixels in 0..1.
/// </summary>
public sealed class WarpingError : IDisposable
{
    private readonly int _width, _height;
    private readonly FlowSettings _settings;
    private readonly CvMat _input, _forward, _backward, _map, _warped;
    private readonly CvMat[] _gray = new CvMat[2], _styled = new CvMat[2];
    private readonly byte[] _visible;
    private long _frames;

    public WarpingError(int width, int height, FlowSettings settings)
    {
        (_width, _height, _settings) = (width, height, settings);
        _input = new CvMat(width, height, MatType.CV_8UC3);
        _forward = new CvMat(width, height, MatType.CV_32FC2);
        _backward = new CvMat(width, height, MatType.CV_32FC2);
        _map = new CvMat(width, height, MatType.CV_32FC2);
        _warped = new CvMat(width, height, MatType.CV_8UC3);
        for (var i = 0; i < 2; i++)
        {
            _gray[i] = new CvMat(width, height, MatType.CV_8UC1);
            _styled[i] = new CvMat(width, height, MatType.CV_8UC3);
        }
        _visible = new byte[width * height];
    }

    /// <summary>Adds frame t+1 (input and stylized, packed BGR24); returns the error of the pair (t, t+1), none for the first frame.</summary>
    public PairError? Add(ReadOnlySpan<byte> inputBgr, ReadOnlySpan<byte> styledBgr)
    {
        int current = (int)(_frames % 2), previous = 1 - current;
        inputBgr.CopyTo(_input.AsSpan<byte>());
        Cv.ToGray(_input, _gray[current]);
        styledBgr.CopyTo(_styled[current].AsSpan<byte>());
        if (_frames++ == 0) return null;

        var visible = Cv.FlowBothWays(_gray[previous], _gray[current], _forward, _backward, _visible, _settings);
        FlowMaps.ToSamplingMap(_forward.AsSpan<float>(), _map.AsSpan<float>(), _width, _height);
        Cv.Remap(_styled[current], _map, _warped);

        ReadOnlySpan<byte> earlier = _styled[previous].AsSpan<byte>(), warped = _warped.AsSpan<byte>();
        double sum = 0;
        for (var i = 0; i < _visible.Length; i++)
        {
            if (_visible[i] == 0) continue;
            for (var c = 0; c < 3; c++)
            {
                double d = earlier[3 * i + c] - warped[3 * i + c];
                sum += d * d;
            }
        }
        var error = visible == 0 ? 0 : sum / (255.0 * 255.0 * 3 * visible);
        return new PairError(_frames - 1, error, (double)visible / _visible.Length);
    }

    public void Dispose()
    {
        foreach (var m in new[] { _input, _forward, _backward, _map, _warped, _gray[0], _gray[1], _styled[0], _styled[1] }) m.Dispose();
    }
}
