namespace LiveStyle.Pipeline.Scheduling;

/// <summary>
/// A one-item mailbox where the newest item wins: putting replaces (and hands back) an item nobody
/// took, which the caller counts as dropped and recycles. No queue can build up behind a slow stage.
/// </summary>
public sealed class LatestSlot<T> where T : class
{
    private T? _item;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    /// <summary>Returns the item this one replaced, or null.</summary>
    public T? Put(T item)
    {
        var replaced = Interlocked.Exchange(ref _item, item);
        if (replaced == null) _signal.Release();
        return replaced;
    }

    public T? TryTake() => Interlocked.Exchange(ref _item, null);

    /// <summary>Waits up to <paramref name="timeout"/> for an item.</summary>
    public T? Take(TimeSpan timeout, CancellationToken cancel)
    {
        while (true)
        {
            if (TryTake() is { } item) return item;
            try
            {
                if (!_signal.Wait(timeout, cancel)) return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
