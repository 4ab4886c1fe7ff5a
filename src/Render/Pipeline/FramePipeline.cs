using System.Threading.Channels;
using LiveStyle.Capture.Frames;

namespace LiveStyle.Render.Pipeline;

/// <summary>
/// source → transform → sink on three threads joined by small bounded queues, so decoding,
/// inference and encoding overlap and memory stays bounded. Frames come from a fixed pool and go
/// back to it after the sink. The first failure in any stage stops the others and is rethrown.
/// Nothing is dropped: this is the offline form (live mode keeps only the newest frame instead).
/// </summary>
public static class FramePipeline
{
    public static void Run(FramePool pool, Func<VideoFrame, bool> source, Action<VideoFrame> transform, Action<VideoFrame> sink,
        Action<VideoFrame>? onDone, CancellationToken cancel, int queueLength = 3)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var token = failed.Token;
        var toTransform = Channel.CreateBounded<VideoFrame>(queueLength);
        var toSink = Channel.CreateBounded<VideoFrame>(queueLength);
        Exception? first = null;

        void Guard(Action body, ChannelWriter<VideoFrame>? output)
        {
            try { body(); }
            catch (Exception e)
            {
                if (e is not OperationCanceledException) Interlocked.CompareExchange(ref first, e, null);
                failed.Cancel();
            }
            finally { output?.TryComplete(); }
        }

        var read = new Thread(() => Guard(() =>
        {
            while (true)
            {
                var frame = pool.Take(token);
                var more = source(frame);
                Write(toTransform.Writer, frame, token);
                if (!more) return;
            }
        }, toTransform.Writer)) { Name = "decode", IsBackground = true };

        var write = new Thread(() => Guard(() =>
        {
            foreach (var frame in Drain(toSink.Reader, token))
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
            foreach (var frame in Drain(toTransform.Reader, token))
            {
                if (frame.HasPixels) transform(frame);
                Write(toSink.Writer, frame, token);
            }
        }, toSink.Writer);
        read.Join();
        write.Join();
        if (first != null) throw first;
        cancel.ThrowIfCancellationRequested();
    }

    private static void Write(ChannelWriter<VideoFrame> writer, VideoFrame frame, CancellationToken token) =>
        writer.WriteAsync(frame, token).AsTask().GetAwaiter().GetResult();

    private static IEnumerable<VideoFrame> Drain(ChannelReader<VideoFrame> reader, CancellationToken token)
    {
        while (reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var frame))
                yield return frame;
    }
}
