using LiveStyle.Pipeline.Scheduling;

namespace LiveStyle.Tests.Engine;

public sealed class LosslessSchedulerTests
{
    [Fact]
    public void DecodingAndEncodingYieldToInferenceWhichKeepsItsPriority()
    {
        int? decode = null, infer = null, encode = null;
        var caller = Nice();
        var left = 3;
        Lossless.Run(1, _ => new object(),
            _ =>
            {
                decode = Nice();
                return --left > 0;
            },
            _ => infer = Nice(), _ => encode = Nice(), _ => { }, CancellationToken.None);
        Assert.Equal((19, 19), (decode, encode));
        Assert.Equal(caller, infer);
        Assert.Equal(caller, Nice());
    }

    /// <summary>The calling thread's nice value: field 19 of its /proc stat line, counted after the command name's ')'.</summary>
    private static int Nice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
    }
}
