namespace LiveStyle.Media.Pixels;

/// <summary>
/// The one rule for turning the network's output into 8-bit pixels at a strength s:
/// clamp(stylized, 0, 255)·s + original·(1 − s), rounded to nearest (ties to even, as MathF.Round and
/// torch.round). The stylized value is clamped first so that a blend starts from the picture shown at
/// full strength, whether it is blended before rounding (convert) or after (live's window and sinks). The CPU transform, still images, the sinks' copies and screenshots use it;
/// the CUDA path computes the same in tensor ops and the window's shader with GLSL's mix.
/// </summary>
public static class StrengthBlend
{
    public static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0f, 255f);

    public static byte Mix(float styled, float original, float strength) =>
        ToByte(Math.Clamp(styled, 0f, 255f) * strength + original * (1 - strength));

    /// <summary>Blends two packed 8-bit frames into <paramref name="into"/> (a copy at full strength).</summary>
    public static void Mix(ReadOnlySpan<byte> styled, ReadOnlySpan<byte> original, float strength, Span<byte> into)
    {
        if (strength >= 1)
        {
            styled.CopyTo(into);
            return;
        }
        for (var i = 0; i < into.Length; i++) into[i] = Mix(styled[i], original[i], strength);
    }
}
