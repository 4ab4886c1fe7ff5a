using LiveStyle.Fuzz;

namespace LiveStyle.Tests.Security;

/// <summary>
/// The fuzzing harnesses (tests/LiveStyle.Fuzz, scripts/fuzz.sh, docs/FUZZING.md) build and work here: every target
/// makes its seeds, and each seed goes through the parser to an accepted model or a clean refusal, never a finding.
/// </summary>
public sealed class FuzzHarnessTests
{
    public static TheoryData<string> Targets => new(FuzzTargets.Names);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EverySeedParsesOrIsRefusedCleanly(string name)
    {
        using var target = FuzzTargets.Find(name)!;
        var seeds = target.Seeds().ToList();
        Assert.NotEmpty(seeds);
        foreach (var (seed, bytes) in seeds)
        {
            var outcome = target.Outcome(bytes);
            Assert.False(outcome.StartsWith("FINDING", StringComparison.Ordinal), $"{name}/{seed}: {outcome}");
        }
        // The seeds are valid files: most are taken all the way (the .tflite ones fail only the layout check).
        Assert.Contains(seeds, s => target.Outcome(s.Bytes) == "accepted" || name == "tflite");
    }
}
