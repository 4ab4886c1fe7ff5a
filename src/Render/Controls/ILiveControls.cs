namespace LiveStyle.Render.Controls;

/// <summary>
/// The one control plane of a live session, for the window's keys and the HTTP control endpoints alike: the settings
/// as one immutable value, changed by a function of the latest value (so two controls never overwrite each other's
/// change), plus what a control can ask for beside them.
/// </summary>
public interface ILiveControls
{
    LiveSettings Settings { get; }

    /// <summary>Swaps in <paramref name="change"/> of the latest settings atomically; the result is brought into range (<see cref="LiveSettings.Within"/>).</summary>
    void Change(Func<LiveSettings, LiveSettings> change);

    IReadOnlyList<string> Styles { get; }
    double DisplayFps { get; }
    double LatencyMs { get; }

    /// <summary>Saves the next presented picture.</summary>
    void Screenshot();

    /// <summary>Makes a style of a painting sent as an encoded image and shows it; null when done, else why it could not.</summary>
    string? AddPainting(byte[] encoded, string name);
}
