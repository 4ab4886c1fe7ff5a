namespace LiveStyle.Models.Formats;

/// <summary>A weight file or folder that cannot be used; the message names the file and what is wrong with it.</summary>
public sealed class ModelFormatException(string message, Exception? inner = null) : Exception(message, inner);
