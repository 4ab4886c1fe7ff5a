namespace LiveStyle.Pipeline.Scheduling;

/// <summary>
/// First-in first-out hand-over of items (frames, stills) between two stages. It is sized to the work allowed in
/// flight, so adding never waits (what hands out the items bounds the work); taking waits for an item, or returns
/// null once the writer completed and every item was taken. Allocates nothing per item.
/// </summary>
internal sealed class HandOver<T>(int capacity) : IDisposable where T : class
{
    private readonly Queue<T> _items = new(capacity);
    private readonly SemaphoreSlim _ready = new(0);
    private bool _completed;

    public void Add(T item)
    {
        lock (_items)
        {
            if (_completed) throw new InvalidOperationException("item added after the hand-over was completed");
            _items.Enqueue(item);
        }
        _ready.Release();
    }

    /// <summary>No more items will come; readers get null after the last one.</summary>
    public void Complete()
    {
        lock (_items)
        {
            if (_completed) return;
            _completed = true;
        }
        _ready.Release();
    }

    public T? Take(CancellationToken cancel)
    {
        _ready.Wait(cancel);
        lock (_items)
        {
            if (_items.Count > 0) return _items.Dequeue();
        }
        _ready.Release(); // completed: let the next reader see it too
        return null;
    }

    public void Dispose() => _ready.Dispose();
}
