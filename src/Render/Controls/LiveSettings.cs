namespace LiveStyle.Render.Controls;

/// <summary>
/// What the keys and the remote set in a live session, as one value: each stage reads it once per frame, so the strength,
/// split and style of a frame agree with each other; a change swaps in a new value whole.
/// </summary>
/// <param name="Split">Where the window splits original from stylized (0..1), or below 0 for no split.</param>
public sealed record LiveSettings(int StyleIndex, float Strength, float Split, bool Paused)
{
    public const float NoSplit = -1;

    /// <summary>The same settings brought into range: the style wraps around <paramref name="styles"/>, strength and split are clamped.</summary>
    public LiveSettings Within(int styles) => this with
    {
        StyleIndex = ((StyleIndex % styles) + styles) % styles,
        Strength = Math.Clamp(Strength, 0, 1),
        Split = Split < 0 ? NoSplit : Math.Clamp(Split, 0.01f, 0.99f),
    };
}
