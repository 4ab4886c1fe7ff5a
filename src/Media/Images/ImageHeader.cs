using System.Buffers.Binary;

namespace LiveStyle.Media.Images;

/// <summary>
/// The pixel size an encoded image declares, read from its header without decoding it (PNG IHDR, the JPEG
/// frame header, BMP, WebP VP8/VP8L/VP8X), so a small file declaring gigapixels is refused before a decoder
/// allocates for it. Null when the header is not one of these or is cut short.
/// </summary>
public static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (long Width, long Height)? DeclaredSize(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 24 && b[..8].SequenceEqual(PngSignature))
            return (BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
        if (b.Length >= 26 && b[0] == (byte)'B' && b[1] == (byte)'M')
            return (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b[22..])));
        if (b.Length >= 30 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return WebP(b);
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xD8) return Jpeg(b);
        return null;
    }

    /// <summary>
    /// Why an image file is cut short, from its container's own structure, or null when it is whole (or not a
    /// format this knows): a JPEG needs its end-of-image marker after the scan data (entropy-coded data never
    /// holds FF D9), a PNG a complete chain of chunks up to IEND, WebP and BMP the length their header gives.
    /// </summary>
    public static string? Truncation(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 8 && b[..8].SequenceEqual(PngSignature))
        {
            for (var i = 8; ;)
            {
                if (i + 8 > b.Length) return "the PNG ends before its IEND chunk";
                var length = BinaryPrimitives.ReadUInt32BigEndian(b[i..]);
                if (length > int.MaxValue || i + 12L + length > b.Length) return $"the PNG's {ChunkType(b.Slice(i + 4, 4))} chunk is cut short";
                if (b.Slice(i + 4, 4).SequenceEqual("IEND"u8)) return null;
                i += 12 + (int)length;
            }
        }
        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xD8)
        {
            ReadOnlySpan<byte> sos = [0xFF, 0xDA], eoi = [0xFF, 0xD9];
            var scan = b.IndexOf(sos);
            return scan >= 0 && b[scan..].IndexOf(eoi) >= 0 ? null : "the JPEG has no end-of-image marker after its scan data";
        }
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8))
            return 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[4..]) > b.Length ? "the WebP is shorter than its header says" : null;
        if (b.Length >= 6 && b[0] == (byte)'B' && b[1] == (byte)'M' && BinaryPrimitives.ReadUInt32LittleEndian(b[2..]) is var size and > 0)
            return size > b.Length ? "the BMP is shorter than its header says" : null;
        return null;
    }

    /// <summary>A chunk type as text; bytes from the file that are not letters (a terminal's escapes, say) show as '?'.</summary>
    private static string ChunkType(ReadOnlySpan<byte> type)
    {
        Span<char> text = stackalloc char[type.Length];
        for (var i = 0; i < type.Length; i++) text[i] = char.IsAsciiLetter((char)type[i]) ? (char)type[i] : '?';
        return new string(text);
    }

    private static (long, long)? WebP(ReadOnlySpan<byte> b)
    {
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8X"u8)) return (1 + Read24(b[24..]), 1 + Read24(b[27..]));
        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
        }
        if (chunk.SequenceEqual("VP8 "u8)) return (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        return null;
    }

    private static long Read24(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);

    /// <summary>Walks the markers to the first start-of-frame (SOF0–SOF15 except DHT, JPG and DAC).</summary>
    private static (long, long)? Jpeg(ReadOnlySpan<byte> b)
    {
        var i = 2;
        while (i + 9 < b.Length)
        {
            if (b[i] != 0xFF) return null;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]));
            i += 2 + length;
        }
        return null;
    }
}
