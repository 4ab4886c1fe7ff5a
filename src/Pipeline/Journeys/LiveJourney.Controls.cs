using LiveStyle.Pipeline.Live;
using LiveStyle.Render.Sinks;
using LiveStyle.Render.Window;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>What keys in the window and the HTTP remote can change while the live journey runs.</summary>
public sealed partial class LiveJourney : ILiveControls, ILiveRemote
{
    private PreviewWindow? _window;
    private IReadOnlyList<SinkRunner> _sinks = [];
    private Action<string> _print = _ => { };
    private float _strength;
    private float _split = -1;
    private double _displayFps;
    private volatile int _style;
    private volatile bool _paused, _screenshotRequested, _dirty;

    /// <summary>The style the inference thread uses for the next frame; wraps around.</summary>
    public int StyleIndex
    {
        get => _style;
        set => _style = ((value % Models.Count) + Models.Count) % Models.Count;
    }

    public bool Paused { get => _paused; set => _paused = value; }

    public IReadOnlyList<string> Styles => Models.Select(m => m.Style).ToList();
    public float Strength => _strength;
    public double DisplayFps => _displayFps;
    public double LatencyMs => Stats.LatencyPercentile(0.5);

    public bool SelectStyle(string nameOrIndex)
    {
        var index = int.TryParse(nameOrIndex, out var i) ? i : Styles.ToList().IndexOf(nameOrIndex);
        if (index < 0 || index >= Models.Count) return false;
        StyleIndex = index;
        return true;
    }

    public void SetStrength(float strength)
    {
        _strength = Math.Clamp(strength, 0, 1);
        _dirty = true;
    }

    public void SelectStyle(int index)
    {
        if (index < Models.Count) StyleIndex = index;
    }

    public void StepStyle(int delta) => StyleIndex += delta;

    public void StepStrength(float delta) => SetStrength(_strength + delta);

    public void ToggleSplit()
    {
        _split = _split < 0 ? 0.5f : -1;
        _dirty = true;
    }

    public void MoveSplit(float x)
    {
        _split = Math.Clamp(x, 0.01f, 0.99f);
        _dirty = true;
    }

    public void TogglePause() => Paused = !Paused;

    public void Screenshot()
    {
        _screenshotRequested = true;
        _dirty = true;
    }
}
