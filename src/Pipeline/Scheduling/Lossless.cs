using LiveStyle.Media;
using LiveStyle.Pipeline.Frames;

namespace LiveStyle.Pipeline.Scheduling;

/// <summary>
/// The lossless scheduler (convert, stills, and anything else that must keep every item): source → transform
/// → sink on three threads joined by first-in first-out hand-overs, so decoding, inference and encoding
/// overlap; decoding and encoding run at the lowest priority (<see cref="LowPriority"/>), in inference's gaps.
/// Items come from a bounded supply (a frame pool) and go back to it after the sink, so the supply bounds memory
/// and nothing is allocated per frame. The first failure in any stage stops the others and is
/// rethrown. Live uses <see cref="LatestSlot{T}"/> instead, where the newest frame wins.
/// </summary>
public static class Lossless
{
    /// <param name="source">Fills a frame; false after the last one (which still goes on, as a stream's tail may carry bytes).</param>
    /// <param name="transform">Called for frames that have pixels.</param>
    public static void Run(FramePool<VideoFrame> pool, Func<VideoFrame, bool> source, Action<VideoFrame> transform, Action<VideoFrame> sink,
        Action<VideoFrame>? onDone, CancellationToken cancel) =>
        Run(pool.Count, pool.Take, source,
            frame =>
            {
                if (frame.HasPixels) transform(frame);
            },
            frame =>
            {
                sink(frame);
                onDone?.Invoke(frame);
            },
            pool.Return, cancel);

    /// <param name="inFlight">At most this many items are out of <paramref name="take"/> at once.</param>
    /// <param name="take">Hands out an item, waiting while <paramref name="inFlight"/> are out.</param>
    /// <param name="source">Fills an item; false after the last one (which still goes on).</param>
    /// <param name="release">Gives an item back after its sink.</param>
    public static void Run<T>(int inFlight, Func<CancellationToken, T> take, Func<T, bool> source, Action<T> transform, Action<T> sink,
        Action<T> release, CancellationToken cancel) where T : class
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var token = failed.Token;
        using var toTransform = new HandOver<T>(inFlight);
        using var toSink = new HandOver<T>(inFlight);
        Exception? first = null;

        void Guard<TOut>(Action body, HandOver<TOut>? output) where TOut : class
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
            LowPriority.CurrentThread();
            while (true)
            {
                var item = take(token);
                var more = source(item);
                toTransform.Add(item);
                if (!more) return;
            }
        }, toTransform)) { Name = "decode", IsBackground = true };

        var write = new Thread(() => Guard<T>(() =>
        {
            LowPriority.CurrentThread();
            while (toSink.Take(token) is { } item)
            {
                sink(item);
                release(item);
            }
        }, null)) { Name = "encode", IsBackground = true };

        read.Start();
        write.Start();
        Guard(() =>
        {
            while (toTransform.Take(token) is { } item)
            {
                transform(item);
                toSink.Add(item);
            }
        }, toSink);
        read.Join();
        write.Join();
        if (first != null) throw first;
        cancel.ThrowIfCancellationRequested();
    }
}
