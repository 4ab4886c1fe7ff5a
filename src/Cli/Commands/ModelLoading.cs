using LiveStyle.Models.Inference;
using LiveStyle.Models.Store;
using LiveStyle.Tensors;

namespace LiveStyle.Cli.Commands;

/// <summary>-m NAME|PATH → a loaded model: catalog names are pulled on first use.</summary>
public static class ModelLoading
{
    public static async Task<StyleModel> LoadAsync(string nameOrPath, Device device, Precision precision, CancellationToken cancel, Engine engine = Engine.Auto)
    {
        var path = await ModelResolver.ResolveAsync(nameOrPath, ModelStore.FromEnvironment(), Terminal.Notice, cancel);
        var model = StyleModel.Load(path, device, precision, engine);
        if (model.Engine.FixedInputSize is { } size) Terminal.Notice($"{path} takes {size} images only: each frame is resized to that and its output back");
        return model;
    }

    /// <summary>A model's own licence metadata wins; a catalog style has its collection's; otherwise it is unknown.</summary>
    public static string LicenceOf(string nameOrPath, string fromFile) =>
        fromFile.Length > 0 ? fromFile
        : !File.Exists(nameOrPath) && !Directory.Exists(nameOrPath) && ModelStore.FromEnvironment().Catalog.Find(nameOrPath) is { } style ? style.Collection.Licence
        : "not stated in the file";
}
