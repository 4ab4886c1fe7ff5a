namespace LiveStyle.Train.Loop;

public enum LearningRateSchedule { Constant, Cosine }

/// <summary>
/// The learning rate at each step, a pure function of the step so a resumed run follows the same
/// curve. Cosine decays from the base rate to 1% of it by the last step: the small late steps are
/// what let a student settle onto its teacher's exact texture instead of hovering around it.
/// </summary>
public static class LearningRates
{
    public static double At(LearningRateSchedule schedule, double baseRate, long step, long steps) => schedule switch
    {
        LearningRateSchedule.Cosine => baseRate * (0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, steps) / Math.Max(1, steps)))),
        _ => baseRate,
    };
}
