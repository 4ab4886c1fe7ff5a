namespace LiveStyle.Render.Sinks;

/// <summary>An output that cannot open or stopped working; the live session outlives it and goes on with the others.</summary>
public sealed class SinkException(string message) : Exception(message);
