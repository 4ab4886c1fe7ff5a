using LiveStyle.Pipeline.Frames;

namespace LiveStyle.Pipeline.Scheduling;

/// <summary>
/// The lossless scheduler (convert, and anything else that must keep every frame): source → transform
/// → sink on three threads joined by first-in first-out queues, so decoding, inference and encoding
/// overlap. Frames come from a fixed pool and go back to it after the sink, so the pool bounds memory
/// and nothing is allocated per frame. The first failure in any stage stops the others and is
/// rethrown. Live uses <see cref="LatestSlot{T}"/> instead, where the newest frame wins.
/// </summary>
public static class Lossless
{
    /// <param name="source">Fills a frame; false after the last one (which still goes on, as a stream's tail may carry bytes).</param>
    /// <param name="transform">Called for frames that have pixels.</param>
    public static void Run(FramePool pool, Func<Frame, bool> source, Action<Frame> transform, Action<Frame> sink,
        Action<Frame>? onDone, CancellationToken cancel)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var token = failed.Token;
        using var toTransform = new FrameQueue(pool.Count);
        using var toSink = new FrameQueue(pool.Count);
        Exception? first = null;

        void Guard(Action body, FrameQueue? output)
        {
            try { body(); }
            catch (Exception e)
            {
                if (e is not OperationCanceledException) Interlocked.CompareExchange(ref first, e, null);
                failed.Cancel();
            }
            finally { output?.Complete(); }
        }

        var read = new Thread(() => Guard(() =>
        {
            while (true)
            {
                var frame = pool.Take(token);
                var more = source(frame);
                toTransform.Add(frame);
                if (!more) return;
            }
        }, toTransform)) { Name = "decode", IsBackground = true };

        var write = new Thread(() => Guard(() =>
        {
            while (toSink.Take(token) is { } frame)
            {
                sink(frame);
                onDone?.Invoke(frame);
                pool.Return(frame);
            }
        }, null)) { Name = "encode", IsBackground = true };

        read.Start();
        write.Start();
        Guard(() =>
        {
            while (toTransform.Take(token) is { } frame)
            {
                if (frame.HasPixels) transform(frame);
                toSink.Add(frame);
            }
        }, toSink);
        read.Join();
        write.Join();
        if (first != null) throw first;
        cancel.ThrowIfCancellationRequested();
    }
}
