namespace LiveStyle.Models.Formats;

/// <summary>
/// Bounds on what a model file may make LiveStyle allocate, checked before any buffer of that size exists:
/// the file's size (LIVESTYLE_MAX_MODEL_BYTES, default 1 GiB: torchvision's VGG-19 is 548 MB) and one
/// tensor's elements (LIVESTYLE_MAX_TENSOR_ELEMENTS, default 200 million: VGG's largest layer has 103).
/// </summary>
public static class ModelLimits
{
    public const string BytesVariable = "LIVESTYLE_MAX_MODEL_BYTES";
    public const string ElementsVariable = "LIVESTYLE_MAX_TENSOR_ELEMENTS";

    public static long MaxFileBytes => Files.EnvironmentLimit.Read(BytesVariable, 1L << 30);
    public static long MaxTensorElements => Files.EnvironmentLimit.Read(ElementsVariable, 200_000_000);

    /// <summary>A model file's bytes: a regular file under the size limit, checked before it is read (<see cref="Files.InputFile"/>).</summary>
    public static byte[] ReadFile(string path, string what = "a model file")
    {
        CheckFile(path);
        try { return Files.InputFile.ReadAll(path, MaxFileBytes, what); }
        catch (Files.InputFileException e) { throw new ModelFormatException(e.Message, e); }
    }

    /// <summary>The file's size, refused over the limit; a missing file is reported as such.</summary>
    public static void CheckFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelFormatException($"model {path} does not exist");
        if (info.Length > MaxFileBytes)
            throw new ModelFormatException($"{path} is {info.Length:N0} bytes, over the model size limit of {MaxFileBytes:N0} (set {BytesVariable} to raise it)");
    }

    /// <summary>The product of <paramref name="shape"/>, refused when negative, overflowing or over the limit.</summary>
    public static long CheckElements(IReadOnlyList<long> shape, string what)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ModelFormatException($"{what} has a negative dimension ({d})");
            if (d != 0 && n > MaxTensorElements / d)
                throw new ModelFormatException($"{what} has shape [{string.Join(", ", shape)}], over the limit of {MaxTensorElements:N0} elements per tensor (set {ElementsVariable} to raise it)");
            n *= d;
        }
        return n;
    }
}
