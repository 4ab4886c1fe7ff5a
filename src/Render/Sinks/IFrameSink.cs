namespace LiveStyle.Render.Sinks;

/// <summary>An output that receives shown frames on its own thread (the live journey gives each sink one; a slow sink skips frames).</summary>
public interface IFrameSink : IDisposable
{
    string Name { get; }

    /// <summary>Called on the sink's thread with the newest frame; a slow call only makes this sink skip frames.</summary>
    void Write(ReadOnlySpan<byte> bgr, int width, int height);

    /// <summary>Finishes the output (closes a recording properly); called once, at the end.</summary>
    void Complete();
}
