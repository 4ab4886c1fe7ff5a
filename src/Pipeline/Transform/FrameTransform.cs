using System.Diagnostics;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Frames;

namespace LiveStyle.Pipeline.Transform;

/// <summary>
/// The transform stage of every frame journey: one of the styles (each a model on its own engine,
/// device and precision) at a strength, then temporal stabilisation when asked for (its optical flow
/// runs beside the network, see <see cref="TemporalStabilizer"/>). Works in place on the frame's
/// pixels; buffers are made once, so nothing is allocated per frame once warm.
/// </summary>
public sealed class FrameTransform : IDisposable
{
    // Replaced whole (never changed in place) when a style is added, so a frame in flight keeps a consistent pair.
    private volatile StyleSet _styles;
    private readonly int _width, _height;
    private readonly float _strength;
    private readonly object _adding = new();
    private readonly TemporalStabilizer? _stabilizer;
    private int _stabilizedStyle = -1;

    /// <param name="strength">Applied to the pixels here (video); live passes 1 and blends when showing, so strength can change without a new inference.</param>
    /// <param name="stabilize">Temporal stabilisation strength (0: off).</param>
    public FrameTransform(IReadOnlyList<StyleModel> models, int width, int height, float strength = 1, float stabilize = 0)
    {
        (_width, _height, _strength) = (width, height, strength);
        var stylizers = new BgrFrameStylizer[models.Count];
        _styles = new StyleSet(models.ToArray(), stylizers);
        try
        {
            for (var i = 0; i < models.Count; i++) stylizers[i] = new BgrFrameStylizer(models[i], width, height) { Strength = strength };
            _stabilizer = stabilize > 0 ? new TemporalStabilizer(width, height, stabilize) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<StyleModel> Models => _styles.Models;

    /// <summary>
    /// Adds a style while frames go through (a painting dropped into live); returns its index. The model stays the
    /// caller's; its frame buffers are made here, on the caller's thread, so the frame path only sees a finished style.
    /// </summary>
    public int Add(StyleModel model)
    {
        var stylizer = new BgrFrameStylizer(model, _width, _height) { Strength = _strength };
        lock (_adding)
        {
            var (models, stylizers) = _styles;
            _styles = new StyleSet([.. models, model], [.. stylizers, stylizer]);
            return models.Length;
        }
    }

    /// <summary>Milliseconds of the last frame's stylization (pixel conversion, network and blend).</summary>
    public double LastStylizeMs { get; private set; }

    /// <summary>Milliseconds of the network alone on the last frame (see <see cref="BgrFrameStylizer.LastModelMs"/>).</summary>
    public double LastModelMs { get; private set; }

    public void Apply(Frame frame, int style = 0)
    {
        if (_stabilizer != null)
        {
            if (style != _stabilizedStyle) _stabilizer.Reset(); // a new style is a cut
            _stabilizedStyle = style;
            _stabilizer.Begin(frame.Pixels);
        }
        var start = Stopwatch.GetTimestamp();
        var stylizer = _styles.Stylizers[style];
        stylizer.Stylize(frame.Pixels);
        LastStylizeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        LastModelMs = stylizer.LastModelMs;
        _stabilizer?.End(frame.Pixels);
    }

    public void Dispose()
    {
        foreach (var s in _styles.Stylizers) s?.Dispose();
        _stabilizer?.Dispose();
    }

    private sealed record StyleSet(StyleModel[] Models, BgrFrameStylizer[] Stylizers);
}
