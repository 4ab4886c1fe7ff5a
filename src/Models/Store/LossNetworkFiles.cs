namespace LiveStyle.Models.Store;

/// <summary>
/// The ImageNet networks the project can fetch for its losses and the classification check:
/// SqueezeNet 1.1 and the ImageNet class names, both from microsoft/Windows-Machine-Learning (MIT)
/// at a fixed commit, pinned by SHA-256 and size. The mirror holds them in its windows-ml folder.
/// (torchvision's VGG files are fetched by <see cref="VggDownload"/>, pinned by their names.)
/// </summary>
public static class LossNetworkFiles
{
    private const string Upstream = "https://raw.githubusercontent.com/microsoft/Windows-Machine-Learning/155b5eeb1f48b49235f31ef3a68db0bd8707ce89/";
    private const string MirrorFolder = "windows-ml/";

    public const string SqueezeNetModel = "SqueezeNet_fp16.onnx";
    public const string ImageNetLabels = "Labels.json";

    private static readonly (string UpstreamPath, string File, StyleCatalog.PinnedFile Pin)[] SqueezeNet =
    [
        ("SharedContent/models/SqueezeNet_fp16.onnx", SqueezeNetModel, new("21f25e3d9254af93e6218a359469fac714a017b3f9035c0f5c4acbf9a3ff7233", 2_484_091)),
        ("Samples/SqueezeNetObjectDetection/NET5/Labels.json", ImageNetLabels, new("049f05e28ba530eb6acd9ead0f3430b58df45097188669c7117f7bed2b9ef774", 33_567)),
    ];

    public static string SqueezeNetFolder(ModelStore store) => Path.Combine(store.CacheDirectory, "loss-networks", "squeezenet");

    /// <summary>The folder holding SqueezeNet_fp16.onnx and Labels.json, fetched (and verified) on first use.</summary>
    public static async Task<string> SqueezeNetAsync(ModelStore store, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancel = default)
    {
        var folder = SqueezeNetFolder(store);
        if (Directory.Exists(folder))
        {
            ModelStore.VerifyFolder(folder, SqueezeNet.Select(f => (f.File, f.Pin)), $"delete {folder} to have it fetched again");
            return folder;
        }
        var files = SqueezeNet.Select(f => (store.Mirror != null ? MirrorFolder + f.File : f.UpstreamPath, f.File, f.Pin)).ToList();
        await store.PullFolderAsync(folder, store.Mirror ?? Upstream, files, progress, cancel);
        return folder;
    }
}
