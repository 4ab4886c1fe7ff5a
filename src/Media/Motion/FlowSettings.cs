namespace LiveStyle.Media.Motion;

/// <summary>
/// Parameters of OpenCV's Farnebäck dense optical flow (the dense method OpenCvSharp4 exposes; DIS is not
/// in its native wrapper). Fixed presets, so warping errors are comparable between runs.
/// </summary>
public readonly record struct FlowSettings(double PyramidScale, int Levels, int WindowSize, int Iterations, int PolynomialSize, double PolynomialSigma)
{
    /// <summary>For measuring: full resolution, OpenCV's sample parameters with five levels (motion up to about 50 px).</summary>
    public static FlowSettings Accurate => new(0.5, 5, 15, 3, 5, 1.2);

    /// <summary>For stabilising: a frame about 128 px across, where this costs about 2 ms on one core.</summary>
    public static FlowSettings Fast => new(0.5, 3, 9, 2, 5, 1.1);

    public override string ToString() =>
        $"Farnebäck pyr_scale {PyramidScale}, levels {Levels}, winsize {WindowSize}, iterations {Iterations}, poly_n {PolynomialSize}, poly_sigma {PolynomialSigma}";
}
