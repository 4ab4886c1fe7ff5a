namespace LiveStyle.Render.Sinks;

/// <summary>An output that receives every shown frame on its own thread (see <see cref="SinkRunner"/>).</summary>
public interface IFrameSink : IDisposable
{
    string Name { get; }

    /// <summary>Called on the sink's thread with the newest frame; a slow call only makes this sink skip frames.</summary>
    void Write(SinkFrame frame);

    /// <summary>Finishes the output (closes a recording properly); called once, at the end.</summary>
    void Complete();
}
