using OpenCvSharp;
using OpenCvSharp.Internal;

namespace LiveStyle.Media.Motion;

/// <summary>
/// One OpenCV-owned image of a fixed size and type, with its native input and output array views made
/// once, so per-frame OpenCV calls through <see cref="Cv"/> allocate nothing on the managed heap
/// (OpenCvSharp's own wrappers create new view objects on every call).
/// </summary>
public sealed unsafe class CvMat : IDisposable
{
    private readonly Mat _mat;
    private readonly CvArrayView? _in, _out;

    public CvMat(int width, int height, MatType type)
    {
        _mat = new Mat(height, width, type, Scalar.All(0));
        try
        {
            _in = CvArrayView.Input(_mat);
            _out = CvArrayView.Output(_mat);
        }
        catch
        {
            Dispose();
            throw;
        }
        Width = width;
        Height = height;
        Type = type;
    }

    public int Width { get; }
    public int Height { get; }
    public MatType Type { get; }
    internal IntPtr In => _in!.Pointer;
    internal IntPtr Out => _out!.Pointer;

    public Span<T> AsSpan<T>() where T : unmanaged => new((void*)_mat.Data, Width * Height * Type.Channels);

    public void Dispose()
    {
        _in?.Dispose();
        _out?.Dispose();
        _mat.Dispose();
    }
}

/// <summary>The OpenCV calls the motion code makes, on <see cref="CvMat"/>s, checked.</summary>
public static class Cv
{
    // OpenCV's noArray(): an empty, never-written image shared by every call that takes an optional array,
    // alive as long as the process, like OpenCV's own.
    private static readonly CvMat None = new(0, 0, MatType.CV_8UC1);

    public static void Check(ExceptionStatus status, string what)
    {
        if (status != ExceptionStatus.NotOccurred) throw new InvalidOperationException($"OpenCV failed in {what}");
    }

    public static void ToGray(CvMat bgr, CvMat gray) =>
        Check(NativeMethods.imgproc_cvtColor(bgr.In, gray.Out, (int)ColorConversionCodes.BGR2GRAY, 0), "cvtColor");

    public static void Resize(CvMat from, CvMat to) =>
        Check(NativeMethods.imgproc_resize(from.In, to.Out, new Size(to.Width, to.Height), 0, 0,
            (int)(to.Width < from.Width ? InterpolationFlags.Area : InterpolationFlags.Linear)), "resize");

    /// <summary>dst(x) = src(map(x)); outside the image the border pixel repeats.</summary>
    public static void Remap(CvMat src, CvMat map, CvMat dst, InterpolationFlags interpolation = InterpolationFlags.Linear) =>
        Check(NativeMethods.imgproc_remap(src.In, dst.Out, map.In, None.In, (int)interpolation, (int)BorderTypes.Replicate, Scalar.All(0)), "remap");

    public static void Flow(CvMat from, CvMat to, CvMat flow, FlowSettings s) =>
        Check(NativeMethods.video_calcOpticalFlowFarneback(from.In, to.In, flow.Out, s.PyramidScale, s.Levels, s.WindowSize, s.Iterations,
            s.PolynomialSize, s.PolynomialSigma, 0), "optical flow");

    /// <summary>The flow from <paramref name="from"/> to <paramref name="to"/>, the flow back, and the pixels of <paramref name="from"/> visible in both (<see cref="FlowMaps.NonOccluded"/>); returns their count.</summary>
    public static int FlowBothWays(CvMat from, CvMat to, CvMat forward, CvMat backward, Span<byte> visible, FlowSettings s)
    {
        Flow(from, to, forward, s);
        Flow(to, from, backward, s);
        return FlowMaps.NonOccluded(forward.AsSpan<float>(), backward.AsSpan<float>(), visible, from.Width, from.Height);
    }
}
