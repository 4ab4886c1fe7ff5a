using LiveStyle.Media.Images;
using LiveStyle.Render.Controls;

namespace LiveStyle.Render.Window;

/// <summary>
/// Where the live journey shows each result, on the presenting thread: the window, or <see cref="NoWindow"/> when the
/// session runs headless (sinks only). A frame is uploaded once and drawn with the settings of the moment, again
/// whenever they change; what was drawn can be read back before it is swapped onto the screen.
/// </summary>
public interface IPresenter : IDisposable
{
    bool ShouldClose { get; }

    /// <summary>How long the presenting thread may wait for the next frame: a window must keep answering its events.</summary>
    TimeSpan FrameWait { get; }

    void PollEvents();

    /// <summary>The newest original and stylized frame, packed BGR24; both arrays stay untouched until the next upload.</summary>
    void Upload(byte[] original, byte[] stylized, int width, int height);

    /// <summary>Draws the uploaded frame blended by <paramref name="settings"/>' strength, with its split view; not yet shown.</summary>
    void Draw(LiveSettings settings);

    /// <summary>What <see cref="Draw"/> drew, as an RGB image.</summary>
    Image ReadBack();

    /// <summary>Shows what was drawn.</summary>
    void Swap();

    /// <summary>A line about the session (the window's title).</summary>
    void SetStatus(string line);
}
