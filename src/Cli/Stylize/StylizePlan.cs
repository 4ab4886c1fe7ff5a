using LiveStyle.Capture.Video;
using LiveStyle.Media.Images;

namespace LiveStyle.Cli.Stylize;

/// <summary>Which files go where: one image to a file or folder, or every image of a folder into a folder.</summary>
public static class StylizePlan
{
    public static List<(string Input, string Output)> Make(string input, string output, bool overwrite)
    {
        if (Directory.Exists(input))
        {
            var images = Directory.EnumerateFiles(input).Where(ImageCodec.IsImagePath).Order(StringComparer.Ordinal).ToList();
            if (images.Count == 0) throw new CliException($"{input} holds no images ({string.Join(", ", ImageCodec.Extensions)})");
            if (File.Exists(output)) throw new CliException($"{output} is a file; a folder input needs an output folder");
            EnsureWritableFolder(output, create: true);
            return images.Select(i => (i, Checked(Path.Combine(output, Path.GetFileName(i)), overwrite))).ToList();
        }

        if (!File.Exists(input)) throw new CliException($"input {input} does not exist");
        if (VideoFiles.IsVideoPath(input))
            throw new CliException($"{input} is a video and stylize takes images: use 'livestyle convert -m MODEL -i {input} -o OUT.mp4'");
        if (Directory.Exists(output))
        {
            EnsureWritableFolder(output, create: false);
            return [(input, Checked(Path.Combine(output, Path.GetFileName(input)), overwrite))];
        }
        if (!ImageCodec.IsImagePath(output))
            throw new CliException($"{output}: unknown image format '{Path.GetExtension(output)}' (use {string.Join(", ", ImageCodec.Extensions)})");
        EnsureWritableFolder(Path.GetDirectoryName(Path.GetFullPath(output))!, create: false);
        return [(input, Checked(output, overwrite))];
    }

    private static string Checked(string output, bool overwrite) =>
        !overwrite && File.Exists(output) ? throw new CliException($"{output} already exists (use --force to replace it)") : output;

    /// <summary>Fails early, with one message, when nothing could be written to <paramref name="folder"/>.</summary>
    private static void EnsureWritableFolder(string folder, bool create)
    {
        try
        {
            if (create) Directory.CreateDirectory(folder);
            else if (!Directory.Exists(folder)) throw new CliException($"output folder {folder} does not exist");
            var probe = Path.Combine(folder, $".livestyle-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write to output folder {folder}: {e.Message}");
        }
    }
}
