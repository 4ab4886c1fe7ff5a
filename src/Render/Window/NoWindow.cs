using LiveStyle.Media.Images;
using LiveStyle.Media.Pixels;
using LiveStyle.Render.Controls;

namespace LiveStyle.Render.Window;

/// <summary>
/// The presenter of a session without a display: nothing is drawn, and a screenshot is the frame as the sinks get it
/// (blended by <see cref="StrengthBlend"/>, the rule the window's shader follows too).
/// </summary>
public sealed class NoWindow : IPresenter
{
    private byte[]? _original, _stylized;
    private int _width, _height;
    private float _strength = 1;

    public bool ShouldClose => false;

    /// <summary>Nothing to keep responsive: the presenting thread may sleep until a frame comes.</summary>
    public TimeSpan FrameWait => TimeSpan.FromMilliseconds(50);

    public void PollEvents() { }

    public void Upload(byte[] original, byte[] stylized, int width, int height) => (_original, _stylized, _width, _height) = (original, stylized, width, height);

    public void Draw(LiveSettings settings) => _strength = settings.Strength;

    public Image ReadBack()
    {
        if (_stylized == null) throw new InvalidOperationException("no frame was shown yet");
        var blended = new byte[_stylized.Length];
        StrengthBlend.Mix(_stylized, _original!, _strength, blended);
        return ImageCodec.FromBgr(blended, _width, _height);
    }

    public void Swap() { }

    public void SetStatus(string line) { }

    public void Dispose() { }
}
