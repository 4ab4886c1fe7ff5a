using LiveStyle.Pipeline.Frames;

namespace LiveStyle.Pipeline.Scheduling;

/// <summary>
/// First-in first-out hand-over of frames between two stages. It is sized to the frames' pool, so
/// adding never waits (the pool is what bounds the work in flight); taking waits for a frame, or
/// returns null once the writer completed and every frame was taken. Allocates nothing per frame.
/// </summary>
internal sealed class FrameQueue(int capacity) : IDisposable
{
    private readonly Queue<Frame> _frames = new(capacity);
    private readonly SemaphoreSlim _ready = new(0);
    private bool _completed;

    public void Add(Frame frame)
    {
        lock (_frames)
        {
            if (_completed) throw new InvalidOperationException("frame added after the queue was completed");
            _frames.Enqueue(frame);
        }
        _ready.Release();
    }

    /// <summary>No more frames will come; readers get null after the last one.</summary>
    public void Complete()
    {
        lock (_frames)
        {
            if (_completed) return;
            _completed = true;
        }
        _ready.Release();
    }

    public Frame? Take(CancellationToken cancel)
    {
        _ready.Wait(cancel);
        lock (_frames)
        {
            if (_frames.Count > 0) return _frames.Dequeue();
        }
        _ready.Release(); // completed: let the next reader see it too
        return null;
    }

    public void Dispose() => _ready.Dispose();
}
