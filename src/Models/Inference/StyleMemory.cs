using LiveStyle.Media.Images;

namespace LiveStyle.Models.Inference;

/// <summary>Refuses a size whose stylizing would need more memory than <see cref="MemoryLimit"/> allows, before any buffer of that size exists.</summary>
public static class StyleMemory
{
    public static void Check(StyleModel model, int width, int height) =>
        MemoryLimit.Check(model.MemoryNeed(width, height), $"stylizing {width}x{height} with {model.Style}");
}
