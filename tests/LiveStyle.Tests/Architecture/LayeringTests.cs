using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Architecture;

/// <summary>
/// Dependencies point one way (docs/ARCHITECTURE.md): media, cameras, codecs, windows and sinks never load tensors or
/// models; Train and Pipeline are siblings above Models, neither reaching into the other.
/// </summary>
public sealed class LayeringTests
{
    [Theory]
    [InlineData(typeof(LiveStyle.Files.AtomicFile), new string[0])]
    [InlineData(typeof(LiveStyle.Tensors.Tensor), new string[0])]
    [InlineData(typeof(LiveStyle.Media.Images.ImageCodec), new[] { "LiveStyle.Files" })]
    [InlineData(typeof(LiveStyle.Capture.Sources.IFrameSource), new[] { "LiveStyle.Files", "LiveStyle.Media" })]
    [InlineData(typeof(LiveStyle.Render.Video.VideoEncoder), new[] { "LiveStyle.Files", "LiveStyle.Media" })]
    [InlineData(typeof(LiveStyle.Models.Inference.StyleModel), new[] { "LiveStyle.Files", "LiveStyle.Media", "LiveStyle.Tensors" })]
    [InlineData(typeof(LiveStyle.Pipeline.Journeys.LiveJourney), new[] { "LiveStyle.Files", "LiveStyle.Media", "LiveStyle.Capture", "LiveStyle.Render", "LiveStyle.Models", "LiveStyle.Tensors" })]
    [InlineData(typeof(LiveStyle.Train.Loop.TrainingRun), new[] { "LiveStyle.Files", "LiveStyle.Media", "LiveStyle.Capture", "LiveStyle.Models", "LiveStyle.Tensors" })]
    [InlineData(typeof(LiveStyle.Cli.Terminal), new[] { "LiveStyle.Files", "LiveStyle.Media", "LiveStyle.Capture", "LiveStyle.Render", "LiveStyle.Models", "LiveStyle.Tensors", "LiveStyle.Pipeline", "LiveStyle.Train" })]
    public void EachProjectReferencesOnlyTheLayersBelowIt(Type anyType, string[] allowed)
    {
        var ours = anyType.Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("LiveStyle.", StringComparison.Ordinal) || n == "livestyle");
        Assert.Empty(ours.Except(allowed));
        if (anyType.Assembly.GetName().Name is "LiveStyle.Media" or "LiveStyle.Capture" or "LiveStyle.Render")
            Assert.DoesNotContain(anyType.Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProjectIsCovered()
    {
        var covered = typeof(LayeringTests).GetMethod(nameof(EachProjectReferencesOnlyTheLayersBelowIt))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(d => ((Type)d.GetData(null!).First()[0]).Assembly.GetName().Name!).ToHashSet();
        var projects = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetFileNameWithoutExtension(p) is var n && n == "LiveStyle.Cli" ? "livestyle" : n);
        Assert.Empty(projects.Except(covered));
    }
}
