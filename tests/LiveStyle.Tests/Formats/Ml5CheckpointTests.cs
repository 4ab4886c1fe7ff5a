using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Formats;

public class Ml5CheckpointTests
{
    private static string CopyOfWave(TempDir dir) => dir.CopyOf(TestPaths.Ml5("wave"), "wave");

    [Fact]
    public void MissingVariableIsNamed()
    {
        using var dir = new TempDir();
        var folder = CopyOfWave(dir);
        File.Delete(Path.Combine(folder, "Variable_5"));
        var e = Assert.Throws<ModelFormatException>(() => Ml5Checkpoint.Read(folder));
        Assert.Contains("Variable_5", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void ShortVariableIsNamed()
    {
        using var dir = new TempDir();
        var folder = CopyOfWave(dir);
        var path = Path.Combine(folder, "Variable_12");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);
        var e = Assert.Throws<ModelFormatException>(() => Ml5Checkpoint.Read(folder));
        Assert.Contains("Variable_12", e.Message);
        Assert.Contains("1000 bytes", e.Message);
    }

    [Fact]
    public void WrongShapesAreReportedWhenLoading()
    {
        using var dir = new TempDir();
        var folder = CopyOfWave(dir);
        // Declare conv1 as 9x9x3x16 and shrink its file to match: readable, but not this network.
        var manifest = Path.Combine(folder, "manifest.json");
        var text = File.ReadAllText(manifest).Replace("\"Variable\": {\n    \"filename\": \"Variable\", \n    \"shape\": [\n      9, \n      9, \n      3, \n      32", "\"Variable\": {\n    \"filename\": \"Variable\", \n    \"shape\": [\n      9, \n      9, \n      3, \n      16");
        Assert.NotEqual(File.ReadAllText(manifest), text);
        File.WriteAllText(manifest, text);
        File.WriteAllBytes(Path.Combine(folder, "Variable"), new byte[9 * 9 * 3 * 16 * 4]);
        var e = Assert.Throws<ModelFormatException>(() => StyleModel.Load(folder, Device.Cpu, Precision.Fp32));
        Assert.Contains("conv1.conv2d.weight", e.Message);
    }

    [Fact]
    public void FolderWithoutManifestIsNotACheckpoint()
    {
        using var dir = new TempDir();
        Assert.Contains("manifest.json", Assert.Throws<ModelFormatException>(() => WeightFiles.Load(dir.Path)).Message);
    }
}
