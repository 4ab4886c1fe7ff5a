using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Internal;

namespace LiveStyle.Media;

/// <summary>
/// OpenCV's InputArray or OutputArray view of one Mat, made once and passed to per-frame calls (which
/// is how they allocate nothing: OpenCvSharp's own wrappers make a new view object per call). A
/// SafeHandle, so a view is deleted exactly once, by its owner's Dispose or, if that is forgotten, by
/// the finalizer. The view only points at the Mat; the Mat is owned and freed separately.
/// </summary>
public sealed class CvArrayView : SafeHandle
{
    private readonly bool _output;

    private CvArrayView(bool output) : base(IntPtr.Zero, ownsHandle: true) => _output = output;

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The pointer for a native call; the owner keeps this view alive for as long as it calls.</summary>
    public IntPtr Pointer => IsClosed ? throw new ObjectDisposedException(nameof(CvArrayView)) : handle;

    public static CvArrayView Input(Mat mat) => Make(false, mat);

    public static CvArrayView Output(Mat mat) => Make(true, mat);

    private static CvArrayView Make(bool output, Mat mat)
    {
        var view = new CvArrayView(output);
        var status = output ? NativeMethods.core_OutputArray_new_byMat(mat.CvPtr, out var p) : NativeMethods.core_InputArray_new_byMat(mat.CvPtr, out p);
        if (status != ExceptionStatus.NotOccurred)
        {
            view.Dispose();
            throw new InvalidOperationException("OpenCV could not make an array view");
        }
        view.SetHandle(p);
        return view;
    }

    protected override bool ReleaseHandle()
    {
        if (_output) NativeMethods.core_OutputArray_delete(handle);
        else NativeMethods.core_InputArray_delete(handle);
        return true;
    }
}
