namespace LiveStyle.Pipeline.Frames;

/// <summary>
/// A fixed set of frames of one size. <see cref="Take"/> waits while all are in flight, so memory is
/// bounded by the pool; <see cref="TryTake"/> never waits (a stage that must not block skips instead).
/// </summary>
public sealed class FramePool<TFrame> : IDisposable where TFrame : Frame
{
    private readonly Stack<TFrame> _free = new();
    private readonly SemaphoreSlim _available;

    /// <param name="make">Makes each of the <paramref name="count"/> frames, once, here.</param>
    public FramePool(int count, Func<TFrame> make)
    {
        for (var i = 0; i < count; i++) _free.Push(make());
        _available = new SemaphoreSlim(count, count);
        Count = count;
    }

    public int Count { get; }

    public TFrame Take(CancellationToken cancel)
    {
        _available.Wait(cancel);
        lock (_free) return _free.Pop();
    }

    public TFrame? TryTake()
    {
        if (!_available.Wait(0)) return null;
        lock (_free) return _free.Pop();
    }

    public void Return(TFrame frame)
    {
        lock (_free) _free.Push(frame);
        _available.Release();
    }

    public void Dispose() => _available.Dispose();
}
