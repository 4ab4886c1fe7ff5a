using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using LiveStyle.Files;

namespace LiveStyle.Pipeline.Parts;

/// <summary>Which video a part was cut from: enough to tell it from any other without reading all of it.</summary>
/// <param name="Fingerprint">SHA-256 of the file's size, first 4 MB and last 4 MB.</param>
public sealed record PartInput(string Path, string Name, long Bytes, double? Duration, string Fingerprint)
{
    private const int Edge = 4 << 20;

    public static PartInput Of(string path, double? duration)
    {
        var info = new FileInfo(path);
        using var file = File.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(info.Length));
        var buffer = new byte[Math.Min(Edge, info.Length)];
        file.ReadExactly(buffer);
        hash.AppendData(buffer);
        if (info.Length > Edge)
        {
            file.Seek(Math.Max(Edge, info.Length - Edge), SeekOrigin.Begin);
            var tail = new byte[info.Length - file.Position];
            file.ReadExactly(tail);
            hash.AppendData(tail);
        }
        return new PartInput(System.IO.Path.GetFullPath(path), System.IO.Path.GetFileName(path), info.Length, duration, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}

/// <summary>
/// What a finished part records beside its video (written last, so its presence means the part is complete): the input,
/// the settings it was converted with, the frames it holds, and the video file's size and SHA-256.
/// </summary>
public sealed record PartManifest(int Format, PartInput Input, string Settings, int Part, int Parts, int FirstFrame, int Frames,
    double Start, double? Next, string File, long FileBytes, string FileSha256)
{
    public const int CurrentFormat = 1;
    private const long MaxManifestBytes = 64 << 10;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>"clip.part-2-of-4.mp4" for part 2 of 4 of clip.mov, in <paramref name="folder"/>.</summary>
    public static string VideoPath(string folder, string input, int part, int parts, string extension) =>
        System.IO.Path.Combine(folder, $"{System.IO.Path.GetFileNameWithoutExtension(input)}.part-{part}-of-{parts}{extension}");

    public static string PathOf(string video) => video + ".json";

    public void Write(string path) => AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, Json), overwrite: true);

    public static PartManifest Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new PartException($"{path} does not exist");
        if (info.Length > MaxManifestBytes) throw new PartException($"{path} is {info.Length:N0} bytes: not a part's record");
        PartManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<PartManifest>(System.IO.File.ReadAllBytes(path), Json); }
        catch (JsonException e) { throw new PartException($"{path} is not a part's record ({e.Message})"); }
        if (manifest?.Input == null || manifest.Format != CurrentFormat || manifest.Parts < 1 || manifest.Part < 1 || manifest.Part > manifest.Parts
            || manifest.Frames < 1 || manifest.FirstFrame < 0 || string.IsNullOrEmpty(manifest.File) || System.IO.Path.GetFileName(manifest.File) != manifest.File)
            throw new PartException($"{path} is not a part's record LiveStyle wrote");
        return manifest;
    }

    /// <summary>Whether the video beside this record is the one it describes: its size, then its SHA-256.</summary>
    public string? VideoProblem(string folder)
    {
        var video = System.IO.Path.Combine(folder, File);
        var info = new FileInfo(video);
        if (!info.Exists) return $"{video} is missing";
        if (info.Length != FileBytes) return $"{video} is {info.Length:N0} bytes where its record says {FileBytes:N0}: truncated or replaced";
        using var stream = info.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == FileSha256 ? null : $"{video} no longer matches its record's SHA-256: changed since it was made";
    }

    public static string Sha256(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

public sealed class PartException(string message) : Exception(message);
