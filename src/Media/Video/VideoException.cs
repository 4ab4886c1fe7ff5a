namespace LiveStyle.Media.Video;

/// <summary>A video that cannot be read or written; the message says which file and why, in FFmpeg's words where it had some.</summary>
public sealed class VideoException(string message, Exception? inner = null) : Exception(message, inner);
