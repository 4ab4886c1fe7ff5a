using System.Security.Cryptography;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Onnx;
using LiveStyle.Models.Store;
using LiveStyle.Pipeline.Live;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Window;

namespace LiveStyle.Pipeline.Journeys;

/// <summary>The live journey's side of <see cref="ILiveControls"/>: keys in the window and the HTTP control endpoints act here.</summary>
public sealed partial class LiveJourney : ILiveControls
{
    private IPresenter _presenter = new NoWindow();
    private IReadOnlyList<SinkRunner> _sinks = [];
    private Action<string> _print = _ => { };
    private double _displayFps;
    private LiveSettings _settings;
    private readonly object _changing = new();
    private volatile bool _screenshotRequested, _dirty;

    /// <summary>The controls as they are now; written by the keys' and the remote's threads, read once per frame by every stage.</summary>
    public LiveSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Writers change the latest value, never a copy another writer replaced meanwhile.</summary>
    public void Change(Func<LiveSettings, LiveSettings> change)
    {
        lock (_changing) Volatile.Write(ref _settings, change(_settings).Within(Models.Count));
        _dirty = true;
    }

    public IReadOnlyList<string> Styles => Models.Select(m => m.Style).ToList();
    public double DisplayFps => _displayFps;
    public double LatencyMs => Stats.LatencyPercentile(0.5);

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
            Change(s => s with { StyleIndex = index });
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
