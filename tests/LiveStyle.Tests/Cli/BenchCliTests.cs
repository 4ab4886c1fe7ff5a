using System.Text.Json.Nodes;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Cli;

/// <summary>Runs training steps in two frameworks: with the other timing-sensitive tests, not beside them.</summary>
[Collection(Serial.Name)]
public sealed class BenchCliTests
{
    [Theory]
    [InlineData("train", "slim")]
    [InlineData("distill", "mobile")]
    public void TrainingSpeedIsMeasuredAgainstTheSamePyTorchStep(string objective, string arch)
    {
        var r = CliRunner.Run("bench", "train", "--objective", objective, "--arch", arch, "--crop", "32", "--batch", "1",
            "--warmup", "1", "--repeats", "3", "--threads", "1", "--pytorch", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var row = JsonNode.Parse(r.Stdout)!;
        Assert.Null(row["pytorch_error"]);
        Assert.Equal(3, row["samples_ms"]!.AsArray().Count);
        Assert.Equal(3, row["pytorch_samples_ms"]!.AsArray().Count);
        Assert.All(row["samples_ms"]!.AsArray().Concat(row["pytorch_samples_ms"]!.AsArray()), s => Assert.True(s!.GetValue<double>() > 0));
        Assert.Equal(1000 / row["median_ms"]!.GetValue<double>(), row["steps_per_s"]!.GetValue<double>(), 1e-9);
    }

    [Fact]
    public void AnUnknownObjectiveIsAClearError() =>
        CliRunner.AssertCleanFailure(CliRunner.Run("bench", "train", "--objective", "painting"), "--objective must be train or distill");
}
