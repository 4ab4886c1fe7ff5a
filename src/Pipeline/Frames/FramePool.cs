namespace LiveStyle.Pipeline.Frames;

/// <summary>
/// A fixed set of frames of one size. <see cref="Take"/> waits while all are in flight, so memory is
/// bounded by the pool; <see cref="TryTake"/> never waits (a stage that must not block skips instead).
/// </summary>
public sealed class FramePool : IDisposable
{
    private readonly Stack<Frame> _free = new();
    private readonly SemaphoreSlim _available;

    public FramePool(int count, int width, int height, bool keepOriginal = false)
    {
        for (var i = 0; i < count; i++) _free.Push(new Frame(width, height, keepOriginal));
        _available = new SemaphoreSlim(count, count);
        (Count, Width, Height) = (count, width, height);
    }

    public int Count { get; }
    public int Width { get; }
    public int Height { get; }

    public Frame Take(CancellationToken cancel)
    {
        _available.Wait(cancel);
        lock (_free) return _free.Pop();
    }

    public Frame? TryTake()
    {
        if (!_available.Wait(0)) return null;
        lock (_free) return _free.Pop();
    }

    public void Return(Frame frame)
    {
        lock (_free) _free.Push(frame);
        _available.Release();
    }

    public void Dispose() => _available.Dispose();
}
