using System.Diagnostics;
using LiveStyle.Capture.Motion;
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
    private readonly BgrFrameStylizer[] _stylizers;
    private readonly TemporalStabilizer? _stabilizer;
    private int _stabilizedStyle = -1;

    /// <param name="strength">Applied to the pixels here (video); live passes 1 and blends when showing, so strength can change without a new inference.</param>
    /// <param name="stabilize">Temporal stabilisation strength (0: off).</param>
    public FrameTransform(IReadOnlyList<StyleModel> models, int width, int height, float strength = 1, float stabilize = 0)
    {
        Models = models;
        _stylizers = new BgrFrameStylizer[models.Count];
        try
        {
            for (var i = 0; i < models.Count; i++) _stylizers[i] = new BgrFrameStylizer(models[i], width, height) { Strength = strength };
            _stabilizer = stabilize > 0 ? new TemporalStabilizer(width, height, stabilize) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<StyleModel> Models { get; }

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
        _stylizers[style].Stylize(frame.Pixels);
        LastStylizeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        LastModelMs = _stylizers[style].LastModelMs;
        _stabilizer?.End(frame.Pixels);
        frame.StyleIndex = style;
    }

    public void Dispose()
    {
        foreach (var s in _stylizers) s?.Dispose();
        _stabilizer?.Dispose();
    }
}
