using System.Threading.Channels;

namespace LiveStyle.Train.Data;

/// <summary>A training loop's inputs made a few steps ahead on a background thread.</summary>
public static class Prefetch
{
    /// <summary>make(step) for each step from <paramref name="fromStep"/> up to <paramref name="steps"/>, in order, at most three ahead.</summary>
    public static IEnumerable<T> Ahead<T>(long fromStep, long steps, Func<long, T> make, CancellationToken cancel)
    {
        var channel = Channel.CreateBounded<T>(3);
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var step = fromStep; step < steps && !cancel.IsCancellationRequested; step++)
                    await channel.Writer.WriteAsync(make(step), cancel);
            }
            finally { channel.Writer.TryComplete(); }
        }, cancel);
        foreach (var item in channel.Reader.ReadAllAsync(cancel).ToBlockingEnumerable(cancel)) yield return item;
        producer.GetAwaiter().GetResult();
    }
}
