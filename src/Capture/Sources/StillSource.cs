using LiveStyle.Media.Images;

namespace LiveStyle.Capture.Sources;

/// <summary>An image, or a folder of images shown one after another, each for <see cref="SecondsPerImage"/>.</summary>
public sealed unsafe class StillSource : IFrameSource
{
    private readonly List<Image> _images;
    private readonly byte[][] _bgr;
    private long _frame;

    public StillSource(string path, double secondsPerImage = 3)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(ImageCodec.IsImagePath).Order(StringComparer.Ordinal).ToList()
            : [path];
        if (files.Count == 0) throw new SourceException($"{path} holds no images");
        try { _images = files.Select(f => ImageCodec.Read(f)).ToList(); }
        catch (ImageException e) { throw new SourceException(e.Message); }
        _bgr = new byte[_images.Count][];
        Name = path;
        SecondsPerImage = secondsPerImage;
        Width = _images[0].Width;
        Height = _images[0].Height;
    }

    public string Name { get; }
    public int Width { get; }
    public int Height { get; }
    public double FrameRate => 30;
    public bool IsLive => false;
    public double SecondsPerImage { get; }

    public ReadResult Read(Span<byte> bgr, int width, int height)
    {
        var index = (int)(_frame++ / Math.Max(1, (long)(SecondsPerImage * FrameRate)) % _images.Count);
        var cached = _bgr[index];
        if (cached == null || cached.Length != width * height * 3) cached = _bgr[index] = ImageCodec.ToBgr(_images[index].Resize(width, height));
        cached.CopyTo(bgr);
        return ReadResult.Frame;
    }

    public bool Rewind()
    {
        _frame = 0;
        return true;
    }

    public void Dispose() { }
}
