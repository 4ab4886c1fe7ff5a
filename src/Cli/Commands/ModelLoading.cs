using LiveStyle.Models.Inference;
using LiveStyle.Models.Store;
using LiveStyle.Tensors;

namespace LiveStyle.Cli.Commands;

/// <summary>-m NAME|PATH → a loaded model: catalog names are pulled on first use.</summary>
public static class ModelLoading
{
    public static async Task<StyleModel> LoadAsync(string nameOrPath, Device device, Precision precision, CancellationToken cancel)
    {
        var path = await ModelResolver.ResolveAsync(nameOrPath, ModelStore.FromEnvironment(), Terminal.Notice, cancel);
        return StyleModel.Load(path, device, precision);
    }
}
