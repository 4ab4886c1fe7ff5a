using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Store;
using LiveStyle.Pipeline.Styles;
using LiveStyle.Tensors;

namespace LiveStyle.Cli.Commands;

/// <summary>-m NAME|PATH|PAINTING → a loaded model: catalog names are pulled on first use, paintings become styles.</summary>
public static class ModelLoading
{
    public static StyleLoader Loader(PaintingOptions? painting = null) => new(ModelStore.FromEnvironment(), painting ?? new PaintingOptions(), Terminal.Notice);

    public static async Task<StyleModel> LoadAsync(string nameOrPath, Device device, Precision precision, CancellationToken cancel, Engine engine = Engine.Auto,
        PaintingOptions? painting = null)
    {
        using var loader = Loader(painting);
        return await loader.LoadAsync(nameOrPath, device, precision, engine, cancel);
    }
}
