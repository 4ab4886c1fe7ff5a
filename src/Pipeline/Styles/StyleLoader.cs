using LiveStyle.Media.Images;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Onnx;
using LiveStyle.Models.Store;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Styles;

/// <summary>
/// What a command was given after -m, made into weights or a running model: a catalog style (pulled on first use),
/// a model file or folder, or a painting or blend of paintings (through Magenta's networks, opened once per loader).
/// </summary>
public sealed class StyleLoader(ModelStore store, PaintingOptions painting, Action<string>? notice = null) : IDisposable
{
    private PaintingStyles? _paintings;

    public ModelStore Store { get; } = store;
    public PaintingOptions Painting { get; } = painting;

    public static bool IsPainting(string nameOrPath) => PaintingBlend.TryParse(nameOrPath) != null;

    public async Task<PaintingStyles> PaintingsAsync(CancellationToken cancel) =>
        _paintings ??= await PaintingStyles.OpenAsync(Store, notice, cancel);

    /// <param name="photo">The photo an intensity below 1 moves the painting's style towards.</param>
    public async Task<Weights> WeightsAsync(string nameOrPath, CancellationToken cancel, Image? photo = null)
    {
        if (PaintingBlend.TryParse(nameOrPath) is { } blend)
        {
            var paintings = PaintingStyles.Read(blend, Painting);
            return (await PaintingsAsync(cancel)).Fold(blend.Name, paintings, Painting, photo);
        }
        return WeightFiles.Load(await ModelResolver.ResolveAsync(nameOrPath, Store, notice, cancel));
    }

    public async Task<StyleModel> LoadAsync(string nameOrPath, Device device, Precision precision, Engine engine, CancellationToken cancel, Image? photo = null)
    {
        if (IsPainting(nameOrPath)) return StyleModel.FromWeights(await WeightsAsync(nameOrPath, cancel, photo), device, precision, engine: engine);
        var path = await ModelResolver.ResolveAsync(nameOrPath, Store, notice, cancel);
        var model = StyleModel.Load(path, device, precision, engine, ExportedGraphs.In(Store));
        if (model.Engine.FixedInputSize is { } size)
        {
            try { MemoryLimit.Check(model.MemoryNeed(0, 0), $"{path}, which works only at {size},"); }
            catch
            {
                model.Dispose();
                throw;
            }
            notice?.Invoke($"{path} takes {size} images only: each frame is resized to that and its output back");
        }
        return model;
    }

    /// <summary>
    /// What a model is, independent of where it lies: a catalog style by its qualified name (its files are pinned), a file
    /// or folder by the SHA-256 of its contents, a painting by its files' and the painting options. Parts of a conversion
    /// made on different machines join only when this is the same.
    /// </summary>
    public string Identity(string nameOrPath)
    {
        if (PaintingBlend.TryParse(nameOrPath) is { } blend)
            return "painting:" + string.Join("+", blend.Parts.Select(p => $"{Hash(p.Path)}@{p.Weight:R}")) + $";size={Painting.Size};intensity={Painting.Intensity:R}";
        if (File.Exists(nameOrPath)) return "file:" + Hash(nameOrPath);
        if (Directory.Exists(nameOrPath))
            return "folder:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
                string.Concat(Directory.GetFiles(nameOrPath).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + ":" + Hash(f) + ";")))));
        return "catalog:" + Store.Catalog.Require(nameOrPath).QualifiedName;
    }

    private static string Hash(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} does not exist");
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>A model's own licence metadata wins; a catalog style has its collection's; otherwise it is unknown.</summary>
    public string LicenceOf(string nameOrPath, string fromFile) =>
        fromFile.Length > 0 ? fromFile
        : !File.Exists(nameOrPath) && !Directory.Exists(nameOrPath) && Store.Catalog.Find(nameOrPath) is { } style ? style.Collection.Licence
        : "not stated in the file";

    public void Dispose() => _paintings?.Dispose();
}
