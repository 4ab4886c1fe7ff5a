using System.Reflection;

namespace LiveStyle.Tests.Architecture;

/// <summary>Dependencies point one way (docs/ARCHITECTURE.md): cameras, codecs, windows and sinks never load tensors or models.</summary>
public sealed class LayeringTests
{
    [Theory]
    [InlineData(typeof(LiveStyle.Capture.Images.ImageCodec), new[] { "LiveStyle.Files" })]
    [InlineData(typeof(LiveStyle.Render.Video.VideoEncoder), new[] { "LiveStyle.Files", "LiveStyle.Capture" })]
    [InlineData(typeof(LiveStyle.Files.AtomicFile), new string[0])]
    [InlineData(typeof(LiveStyle.Models.Inference.StyleModel), new[] { "LiveStyle.Files", "LiveStyle.Tensors" })]
    [InlineData(typeof(LiveStyle.Pipeline.Journeys.LiveJourney), new[] { "LiveStyle.Files", "LiveStyle.Capture", "LiveStyle.Render", "LiveStyle.Models", "LiveStyle.Tensors" })]
    [InlineData(typeof(LiveStyle.Tensors.Tensor), new string[0])]
    [InlineData(typeof(LiveStyle.Train.Loop.TrainingRun), new[] { "LiveStyle.Files", "LiveStyle.Capture", "LiveStyle.Render", "LiveStyle.Models", "LiveStyle.Tensors", "LiveStyle.Pipeline" })]
    [InlineData(typeof(LiveStyle.Cli.Terminal), new[] { "LiveStyle.Files", "LiveStyle.Capture", "LiveStyle.Render", "LiveStyle.Models", "LiveStyle.Tensors", "LiveStyle.Pipeline", "LiveStyle.Train" })]
    public void EachProjectReferencesOnlyTheLayersBelowIt(Type anyType, string[] allowed)
    {
        var ours = anyType.Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("LiveStyle.", StringComparison.Ordinal) || n == "livestyle");
        Assert.Empty(ours.Except(allowed));
        if (anyType.Assembly.GetName().Name is "LiveStyle.Capture" or "LiveStyle.Render")
            Assert.DoesNotContain(anyType.Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
    }
}
