using LiveStyle.Train.Loop;

namespace LiveStyle.Tests.Training;

public sealed class LearningRateTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.505)]     // halfway: 0.01 + 0.99 · 0.5
    [InlineData(100, 0.01)]
    [InlineData(150, 0.01)]     // past the end (a run resumed with fewer --steps) stays at the floor
    public void CosineDecaysFromTheBaseRateToOnePercent(long step, double fraction) =>
        Assert.Equal(2e-3 * fraction, LearningRates.At(LearningRateSchedule.Cosine, 2e-3, step, 100), 1e-12);

    [Fact]
    public void ConstantStaysPut() => Assert.Equal(1e-3, LearningRates.At(LearningRateSchedule.Constant, 1e-3, 77, 100));
}
