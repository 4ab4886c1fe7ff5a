namespace LiveStyle.Render.Sinks;

/// <summary>What remote controls (the HTTP endpoints) can see and change in a running live session.</summary>
public interface ILiveRemote
{
    IReadOnlyList<string> Styles { get; }
    int StyleIndex { get; }
    float Strength { get; }
    double DisplayFps { get; }
    double LatencyMs { get; }

    /// <summary>Selects by name or 0-based index; false when there is no such style.</summary>
    bool SelectStyle(string nameOrIndex);

    void SetStrength(float strength);

    /// <summary>Makes a style of a painting sent as an encoded image and shows it; null when done, else why it could not.</summary>
    string? AddPainting(byte[] encoded, string name);
}
