namespace LiveStyle.Tests.Support;

/// <summary>Tests that measure time or memory run in this collection: alone, after the parallel ones, so other tests do not distort them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "serial";
}
