using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;

namespace LiveStyle.Train.Loop;

/// <summary>One optimisation step, the unit both the training loop and `bench train` time.</summary>
public static class TrainingStep
{
    /// <summary>Forward, loss, backward, Adam update; temporaries belong to the caller's dispose scope.</summary>
    public static (double Loss, (string Name, double Value)[] Parts) Run(Module net, Adam adam, IObjective objective, Tensor input)
    {
        adam.ZeroGrad();
        var (loss, parts) = objective.Loss(input, net.Forward(input));
        loss.Backward();
        adam.StepOnce();
        return (loss.Item(), parts);
    }
}
