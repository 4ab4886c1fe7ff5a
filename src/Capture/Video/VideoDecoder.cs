using System.Globalization;
using LiveStyle.Media.Video;

namespace LiveStyle.Capture.Video;

/// <summary>
/// Decodes a file's first video stream with the ffmpeg executable into packed BGR24 frames at the
/// processing size (FFmpeg rotates, trims and scales once, before the pixels reach us), in a
/// Matroska stream that keeps each frame's timestamp. Every frame is delivered: no drops, no duplicates.
/// </summary>
public sealed class VideoDecoder : IDisposable
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly MatroskaFrameStream _stream;
    private readonly string _path;
    private readonly ContainerBytes _ignored = new();

    /// <param name="range">Only these frames: seek to a time between the frame before the first and the first itself, keep
    /// timestamps as they are (-copyts), stop after the count (a part of a video converted on its own).</param>
    public VideoDecoder(string path, int width, int height, TimeSpan? start = null, TimeSpan? end = null, (double Seek, int Frames)? range = null)
    {
        _path = path;
        Width = width;
        Height = height;
        var args = new List<string> { "-v", "error", "-nostdin", "-xerror" };
        args.AddRange(FfmpegTiming.TrimArguments(start, end));
        if (range is { } seekTo) args.AddRange(["-ss", seekTo.Seek.ToString("0.#########", CultureInfo.InvariantCulture), "-copyts"]);
        args.AddRange(["-i", path, "-map", "0:v:0", "-vf", $"scale={width}:{height}:flags=area", .. FfmpegTiming.PassthroughArguments]);
        if (range is { } count) args.AddRange(["-frames:v", count.Frames.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange([
            "-c:v", "rawvideo", "-pix_fmt", "bgr24", "-allow_raw_vfw", "1", "-write_crc32", "0", "-f", "matroska", "pipe:1"]);
        _ffmpeg = FfmpegProcess.Start("ffmpeg", args, stdin: false, stdout: true, lowPriority: true);
        _stream = new MatroskaFrameStream(_ffmpeg.Output, FrameBytes);
    }

    public int Width { get; }
    public int Height { get; }
    public int FrameBytes => Width * Height * 3;

    /// <summary>The next frame's pixels and the container bytes before them; false at the end, where <paramref name="prefix"/> holds the trailing bytes.</summary>
    public bool ReadNext(ContainerBytes prefix, Span<byte> pixels)
    {
        try { return _stream.ReadNext(prefix, pixels); }
        catch (VideoException) when (_ffmpeg.WaitForExit() != 0) { throw Failure(); }
    }

    /// <summary>The next frame's pixels, for callers that do not rebuild the stream; false at the end.</summary>
    public bool ReadNext(Span<byte> pixels) => ReadNext(_ignored, pixels);

    /// <summary>Waits for FFmpeg and throws if it failed (a corrupt or truncated file shows up here).</summary>
    public void Finish()
    {
        if (_ffmpeg.WaitForExit() != 0) throw Failure();
    }

    private VideoException Failure() => new($"cannot decode {_path}: {_ffmpeg.LastError}");

    public void Dispose() => _ffmpeg.Dispose();
}
