using LiveStyle.Models.Store;

namespace LiveStyle.Train.Loss;

/// <summary>Opens a loss network by name (squeezenet, vgg16, vgg19) or from a file (.onnx: SqueezeNet; .pth/.safetensors: VGG).</summary>
public static class LossNetworks
{
    public static readonly string[] Names = ["squeezenet", "vgg16", "vgg19"];

    /// <summary>The weights file a name stands for; SqueezeNet is fetched on first use, VGG must have been pulled.</summary>
    public static async Task<string> ResolveAsync(string nameOrPath, ModelStore store, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancel = default)
    {
        switch (nameOrPath.ToLowerInvariant())
        {
            case "squeezenet":
                return Path.Combine(await LossNetworkFiles.SqueezeNetAsync(store, progress, cancel), LossNetworkFiles.SqueezeNetModel);
            case "vgg16" or "vgg19":
                var file = Path.Combine(VggDownload.DefaultFolder(store), Path.GetFileName(new Uri(VggDownload.Official[nameOrPath.ToLowerInvariant()]).AbsolutePath));
                return File.Exists(file) ? file
                    : throw new FileNotFoundException($"{nameOrPath} weights are not in the cache: run `livestyle models pull-vgg {nameOrPath.ToLowerInvariant()}` (or pass the file's path)");
            default:
                return File.Exists(nameOrPath) ? nameOrPath
                    : throw new FileNotFoundException($"{nameOrPath}: no such loss network; use {string.Join(", ", Names)} or a weights file");
        }
    }

    public static ILossNetwork Open(string path) =>
        Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase) ? SqueezeNet.Load(path) : Vgg.Load(path);

    public static async Task<ILossNetwork> OpenAsync(string nameOrPath, ModelStore store, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancel = default) =>
        Open(await ResolveAsync(nameOrPath, store, progress, cancel));
}
