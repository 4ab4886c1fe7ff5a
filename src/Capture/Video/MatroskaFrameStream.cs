using LiveStyle.Media.Video;
namespace LiveStyle.Capture.Video;

/// <summary>
/// Reads the Matroska stream FFmpeg writes for raw BGR24 video (-c:v rawvideo -f matroska) and splits
/// it into frames: each frame's pixels, and the container bytes before them. Writing the same bytes
/// back with new pixels of the same size gives a stream with every timestamp unchanged, which is how
/// variable frame rates survive the trip through the model.
/// </summary>
public sealed class MatroskaFrameStream(Stream input, int frameBytes)
{
    private const uint Segment = 0x18538067, Cluster = 0x1F43B675, BlockGroup = 0xA0, SimpleBlock = 0xA3, Block = 0xA1;
    private readonly BufferedStream _in = new(input, 1 << 20);
    private readonly byte[] _scratch = new byte[64 * 1024];

    /// <summary>
    /// Reads the next frame's <paramref name="pixels"/> and the container bytes before them into
    /// <paramref name="prefix"/>; false at the end of the stream, where the prefix holds only trailing bytes.
    /// </summary>
    public bool ReadNext(ContainerBytes prefix, Span<byte> pixels)
    {
        prefix.Clear();
        Span<byte> header = stackalloc byte[16];
        while (true)
        {
            var idLength = ReadVint(header, out var id, keepMarker: true, allowEof: true);
            if (idLength == 0) return false;
            var sizeLength = ReadVint(header[idLength..], out var size, keepMarker: false, allowEof: false);
            prefix.Append(header[..(idLength + sizeLength)]);
            var unknownSize = size == (1UL << (7 * sizeLength)) - 1;

            if (id is Segment or Cluster or BlockGroup) continue; // descend: children follow in the stream
            if (unknownSize) throw new VideoException("unexpected unknown-size element in FFmpeg's raw video stream");
            if (id is SimpleBlock or Block)
            {
                var blockHeader = ReadVint(header, out _, keepMarker: false, allowEof: false);
                ReadExactly(header.Slice(blockHeader, 3));
                if ((header[blockHeader + 2] & 0x06) != 0) throw new VideoException("laced video blocks are not expected in raw video");
                prefix.Append(header[..(blockHeader + 3)]);
                var payload = (long)size - blockHeader - 3;
                if (payload != frameBytes) throw new VideoException($"decoded frame has {payload} bytes, expected {frameBytes}");
                ReadExactly(pixels[..frameBytes]);
                return true;
            }
            CopyToPrefix(prefix, (long)size);
        }
    }

    private void CopyToPrefix(ContainerBytes prefix, long size)
    {
        while (size > 0)
        {
            var n = (int)Math.Min(size, _scratch.Length);
            ReadExactly(_scratch.AsSpan(0, n));
            prefix.Append(_scratch.AsSpan(0, n));
            size -= n;
        }
    }

    /// <summary>EBML variable-length integer: the count of leading zero bits in the first byte gives its length.</summary>
    private int ReadVint(Span<byte> into, out ulong value, bool keepMarker, bool allowEof)
    {
        var first = _in.ReadByte();
        if (first < 0)
        {
            value = 0;
            return allowEof ? 0 : throw new VideoException("FFmpeg's raw video stream ended in the middle of an element");
        }
        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        if (length is < 1 or > 8) throw new VideoException("corrupt element header in FFmpeg's raw video stream");
        into[0] = (byte)first;
        ReadExactly(into.Slice(1, length - 1));
        value = keepMarker ? (ulong)first : (ulong)(first & (0xFF >> length));
        for (var i = 1; i < length; i++) value = (value << 8) | into[i];
        return length;
    }

    private void ReadExactly(Span<byte> buffer)
    {
        try { _in.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw new VideoException("FFmpeg's raw video stream ended early"); }
    }
}
