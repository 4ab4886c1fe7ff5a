namespace LiveStyle.Media.Images;

/// <summary>
/// The most pixels one image or frame may have: 100 megapixels by default (a 12000x8000 photo; 400 MB of
/// float32 planes), raised or lowered with LIVESTYLE_MAX_PIXELS. Images are checked from their header
/// before decoding, processing sizes when they are parsed.
/// </summary>
public static class PixelLimit
{
    public const string Variable = "LIVESTYLE_MAX_PIXELS";
    public const long Default = 100_000_000;

    public static long Max => Files.EnvironmentLimit.Read(Variable, Default);

    /// <summary>Throws <see cref="ImageException"/> when <paramref name="width"/>·<paramref name="height"/> is over the limit.</summary>
    public static void Check(long width, long height, string what)
    {
        if (width <= 0 || height <= 0 || width > Max / height)
            throw new ImageException($"{what} is {width}x{height} pixels, over the limit of {Max:N0} (set {Variable} to raise it)");
    }
}
