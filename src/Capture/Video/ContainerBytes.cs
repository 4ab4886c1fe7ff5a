namespace LiveStyle.Capture.Video;

/// <summary>
/// The container bytes that come before one frame's pixels in a stream (element headers, the block
/// header, other elements), kept so the stream can be rebuilt around new pixels of the same size.
/// Grows to the largest run seen and is reused.
/// </summary>
public sealed class ContainerBytes
{
    private byte[] _bytes = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _bytes.Length)
        {
            var grown = new byte[Math.Max(_bytes.Length * 2, Length + bytes.Length)];
            _bytes.AsSpan(0, Length).CopyTo(grown);
            _bytes = grown;
        }
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }
}
