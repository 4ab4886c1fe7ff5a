using LiveStyle.Media.Pixels;

namespace LiveStyle.Tests.Engine;

/// <summary>The vectorised pixel conversions give the scalar rule's bytes exactly, tails and ties included.</summary>
public sealed class PixelPlanesTests
{
    public static TheoryData<int, float, bool> Cases()
    {
        var data = new TheoryData<int, float, bool>();
        foreach (var pixels in new[] { 1, 7, 8, 9, 1003 })
            foreach (var strength in new[] { 0f, 0.25f, 0.5f, 0.7f, 1f })
                foreach (var swap in new[] { false, true })
                    data.Add(pixels, strength, swap);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackToBytesEqualsTheScalarRule(int pixels, float strength, bool swap)
    {
        var random = new Random(pixels * 31 + (int)(strength * 100));
        var styled = new float[3 * pixels];
        var original = new float[3 * pixels];
        for (var i = 0; i < styled.Length; i++)
        {
            // Out of range on both sides, exact halves (ties go to even), and ordinary values.
            styled[i] = (i % 4) switch
            {
                0 => random.Next(-40, 300) + 0.5f,
                1 => (float)(random.NextDouble() * 340 - 40),
                2 => random.Next(0, 256),
                _ => (float)random.NextDouble() * 255,
            };
            original[i] = random.Next(0, 256);
        }
        var (vector, scalar) = (new byte[3 * pixels], new byte[3 * pixels]);
        PixelPlanes.ToPacked(styled, original, strength, vector, swap);
        PixelPlanes.Scalar.ToPacked(styled, original, strength, scalar, swap);
        Assert.Equal(scalar, vector);
        if (strength == 1 && pixels > 100) Assert.Contains(scalar, b => b == 255); // the clamp was reached
        if (strength != 1) return;
        // Rounding alone (still images): the same bytes as StrengthBlend.ToByte one value at a time.
        PixelPlanes.ToPacked(styled, vector, swap);
        PixelPlanes.Scalar.ToPacked(styled, scalar, swap);
        Assert.Equal(scalar, vector);
    }

    [Theory]
    [InlineData(1003, false)]
    [InlineData(1003, true)]
    public void ToPlanesEqualsTheScalarRule(int pixels, bool swap)
    {
        var packed = new byte[3 * pixels];
        new Random(pixels).NextBytes(packed);
        var (fast, scalar) = (new float[3 * pixels], new float[3 * pixels]);
        PixelPlanes.ToPlanar(packed, fast, swap);
        PixelPlanes.Scalar.ToPlanar(packed, scalar, swap);
        Assert.Equal(scalar, fast);
        Assert.Equal(packed[swap ? 2 : 0], fast[0]); // the first plane is red
    }

    [Fact]
    public void MismatchedBuffersAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PixelPlanes.ToPlanar(new byte[9], new float[8], swap: false));
        Assert.Throws<ArgumentException>(() => PixelPlanes.ToPacked(new float[9], new float[6], 1, new byte[9], swap: true));
    }
}
