namespace LiveStyle.Capture.Video;

/// <summary>Which files are videos, by extension: what `convert` takes from a folder and training reads as clips.</summary>
public static class VideoFiles
{
    public static readonly string[] Extensions = [".mp4", ".m4v", ".mkv", ".mov", ".webm", ".avi", ".gif", ".mpg", ".mpeg", ".ts", ".flv", ".wmv"];

    public static bool IsVideoPath(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());
}
