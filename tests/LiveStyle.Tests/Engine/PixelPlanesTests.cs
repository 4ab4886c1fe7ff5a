using LiveStyle.Media.Pixels;

namespace LiveStyle.Tests.Engine;

/// <summary>The vectorised pixel conversions give the scalar rule's bytes exactly, tails and ties included.</summary>
public sealed class PixelPlanesTests
{
    public static TheoryData<int, float, bool> Cases()
    {
        var data = new TheoryData<int, float, bool>();
        foreach (var pixels in new[] { 1, 7, 8, 9, 15, 16, 17, 33, 1003 })
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
        if (swap) Compare<Bgr24>(styled, original, strength, pixels);
        else Compare<Rgb24>(styled, original, strength, pixels);
    }

    private static void Compare<TPixel>(float[] styled, float[] original, float strength, int pixels) where TPixel : unmanaged, IPixel3<TPixel>
    {
        var (vector, scalar) = (new TPixel[pixels], new TPixel[pixels]);
        PixelPlanes.ToPacked<TPixel>(styled, original, strength, vector);
        PixelPlanes.Scalar.ToPacked<TPixel>(styled, original, strength, scalar);
        Assert.Equal(scalar, vector);
        if (strength == 1 && pixels > 100) Assert.Contains(scalar, p => p.R == 255); // the clamp was reached
        if (strength != 1) return;
        // Rounding alone (still images): the same bytes as StrengthBlend.ToByte one value at a time.
        PixelPlanes.ToPacked<TPixel>(styled, vector);
        PixelPlanes.Scalar.ToPacked<TPixel>(styled, scalar);
        Assert.Equal(scalar, vector);
        Assert.Equal(StrengthBlend.ToByte(styled[0]), scalar[0].R); // the first plane is red, whatever the packed order
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(16, false)]
    [InlineData(33, true)]
    [InlineData(1003, false)]
    [InlineData(1003, true)]
    public void ToPlanesEqualsTheScalarRule(int pixels, bool swap)
    {
        var packed = new byte[3 * pixels];
        new Random(pixels).NextBytes(packed);
        var (fast, scalar) = (new float[3 * pixels], new float[3 * pixels]);
        if (swap)
        {
            PixelPlanes.ToPlanar(Pixel3.Of<Bgr24>(packed), fast);
            PixelPlanes.Scalar.ToPlanar(Pixel3.Of<Bgr24>(packed), scalar);
        }
        else
        {
            PixelPlanes.ToPlanar(Pixel3.Of<Rgb24>(packed), fast);
            PixelPlanes.Scalar.ToPlanar(Pixel3.Of<Rgb24>(packed), scalar);
        }
        Assert.Equal(scalar, fast);
        Assert.Equal(packed[swap ? 2 : 0], fast[0]); // the first plane is red
    }

    [Theory]
    [InlineData(1, 0.3f)]
    [InlineData(31, 0.5f)]
    [InlineData(32, 0.25f)]
    [InlineData(1000, 0.7f)]
    [InlineData(3 * 641 * 3, 0.5f)]
    public void PackedBlendEqualsTheScalarRule(int bytes, float strength)
    {
        var random = new Random(bytes);
        var (styled, original) = (new byte[bytes], new byte[bytes]);
        random.NextBytes(styled);
        random.NextBytes(original);
        // Pairs whose blend lands exactly on .5 at strength 0.5 and 0.25: ties must go to even, as MathF.Round does.
        for (var i = 0; i + 1 < bytes; i += 7) (styled[i], original[i]) = (3, 0);
        var (vector, scalar) = (new byte[bytes], new byte[bytes]);
        StrengthBlend.Mix(styled, original, strength, vector);
        StrengthBlend.Scalar.Mix(styled, original, strength, scalar);
        Assert.Equal(scalar, vector);
        Assert.NotEqual(styled, vector);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(5000)]
    [InlineData(3 * 640 * 480)]
    public void PsnrSumsEverySquaredDifference(int bytes)
    {
        var random = new Random(bytes);
        var (a, b) = (new byte[bytes], new byte[bytes]);
        random.NextBytes(a);
        random.NextBytes(b);
        if (bytes > 100) (a[^1], b[^1]) = (255, 0); // the largest difference, in the tail
        long expected = 0;
        for (var i = 0; i < bytes; i++) expected += (a[i] - b[i]) * (a[i] - b[i]);
        Assert.Equal(expected, Psnr.SquaredError(a, b));
        Assert.Equal(Psnr.Max, Psnr.Of(a, a));
    }

    [Fact]
    public void MismatchedBuffersAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PixelPlanes.ToPlanar<Rgb24>(new Rgb24[3], new float[8]));
        Assert.Throws<ArgumentException>(() => PixelPlanes.ToPacked(new float[9], new float[6], 1, new Bgr24[3]));
        Assert.Throws<ArgumentException>(() => Pixel3.Of<Bgr24>(new byte[10]));
        Assert.Throws<ArgumentException>(() => StrengthBlend.Mix(new byte[9], new byte[6], 0.5f, new byte[9]));
    }
}
