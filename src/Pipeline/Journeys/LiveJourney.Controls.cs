using System.Security.Cryptography;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Onnx;
using LiveStyle.Models.Store;
using LiveStyle.Pipeline.Live;
using LiveStyle.Render.Sinks;
using LiveStyle.Render.Window;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>
/// What the keys and the remote set, as one value: each stage reads it once per frame, so the strength, split and style
/// of a frame agree with each other; a change swaps in a new value (<see cref="LiveJourney.Settings"/>).
/// </summary>
/// <param name="Split">Where the window splits original from stylized (0..1), or below 0 for no split.</param>
public sealed record LiveSettings(int StyleIndex, float Strength, float Split, bool Paused);

/// <summary>What keys in the window and the HTTP remote can change while the live journey runs.</summary>
public sealed partial class LiveJourney : ILiveControls, ILiveRemote
{
    private PreviewWindow? _window;
    private IReadOnlyList<SinkRunner> _sinks = [];
    private Action<string> _print = _ => { };
    private double _displayFps;
    private LiveSettings _settings;
    private readonly object _changing = new();
    private volatile bool _screenshotRequested, _dirty;

    /// <summary>The controls as they are now; written by the keys' and the remote's threads, read by every stage.</summary>
    public LiveSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Writers change one field from the latest value, never from a copy another writer replaced meanwhile.</summary>
    private void Change(Func<LiveSettings, LiveSettings> change)
    {
        lock (_changing) Volatile.Write(ref _settings, change(_settings));
        _dirty = true;
    }

    private int Wrap(int index) => ((index % Models.Count) + Models.Count) % Models.Count;

    /// <summary>The style the inference thread uses for the next frame; wraps around.</summary>
    public int StyleIndex
    {
        get => Settings.StyleIndex;
        set => Change(s => s with { StyleIndex = Wrap(value) });
    }

    public bool Paused
    {
        get => Settings.Paused;
        set => Change(s => s with { Paused = value });
    }

    public IReadOnlyList<string> Styles => Models.Select(m => m.Style).ToList();
    public float Strength => Settings.Strength;
    public double DisplayFps => _displayFps;
    public double LatencyMs => Stats.LatencyPercentile(0.5);

    public bool SelectStyle(string nameOrIndex)
    {
        var index = int.TryParse(nameOrIndex, out var i) ? i : Styles.ToList().IndexOf(nameOrIndex);
        if (index < 0 || index >= Models.Count) return false;
        StyleIndex = index;
        return true;
    }

    public void SetStrength(float strength) => Change(s => s with { Strength = Math.Clamp(strength, 0, 1) });

    public void SelectStyle(int index)
    {
        if (index < Models.Count) StyleIndex = index;
    }

    public void StepStyle(int delta) => Change(s => s with { StyleIndex = Wrap(s.StyleIndex + delta) });

    public void StepStrength(float delta) => Change(s => s with { Strength = Math.Clamp(s.Strength + delta, 0, 1) });

    public void ToggleSplit() => Change(s => s with { Split = s.Split < 0 ? 0.5f : -1 });

    public void MoveSplit(float x) => Change(s => s with { Split = Math.Clamp(x, 0.01f, 0.99f) });

    public void TogglePause() => Change(s => s with { Paused = !s.Paused });

    public void Screenshot()
    {
        _screenshotRequested = true;
        _dirty = true;
    }

    /// <summary>Styles added while running (paintings) are the journey's to dispose; at most this many, so a long run cannot grow without bound.</summary>
    public const int MaxAddedStyles = 32;

    private readonly object _adding = new();
    private readonly List<StyleModel> _added = [];

    /// <summary>
    /// Makes a model of a painting (its image, name and SHA-256), for paintings dropped into a watched folder or
    /// uploaded to the control page; null when this session takes none.
    /// </summary>
    public Func<Image, string, string, StyleModel>? PaintingLoader { get; set; }

    /// <summary>Adds a style and shows it at once; the journey owns the model from here on.</summary>
    public int AddStyle(StyleModel model)
    {
        lock (_adding)
        {
            if (_added.Count >= MaxAddedStyles)
            {
                model.Dispose();
                throw new InvalidOperationException($"this session already took {MaxAddedStyles} new styles; restart it to take more");
            }
            int index;
            try { index = _transform.Add(model); }
            catch
            {
                model.Dispose();
                throw;
            }
            _added.Add(model);
            StyleIndex = index;
            Notice?.Invoke($"style {index + 1}: {model.Style}");
            return index;
        }
    }

    public string? AddPainting(byte[] encoded, string name)
    {
        name = ModelInfo.Sanitize(name.Length > 80 ? name[..80] : name);
        try
        {
            AddPainting(ImageCodec.Decode(encoded, name), name, Convert.ToHexStringLower(SHA256.HashData(encoded)));
            return null;
        }
        catch (Exception e) when (e is ImageException or ModelFormatException or InferenceException or StoreException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>Folds a painting into a style and shows it (one painting at a time: each holds an engine session).</summary>
    public void AddPainting(Image painting, string name, string sha256)
    {
        var loader = PaintingLoader ?? throw new InvalidOperationException("this live session takes no paintings");
        lock (_adding)
            AddStyle(loader(painting, name, sha256));
    }
}
