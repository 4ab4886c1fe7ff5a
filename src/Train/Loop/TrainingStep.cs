using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;

namespace LiveStyle.Train.Loop;

/// <summary>One optimisation step, the unit both the training loop and `bench train` time.</summary>
public static class TrainingStep
{
    /// <summary>fp32 or bf16 mixed precision; fp16 would need loss scaling, which is not built.</summary>
    public static Precision ParsePrecision(string text) => Precisions.Parse(text) is var p && p == Precision.Fp16
        ? throw new ArgumentException("fp16 training needs loss scaling, which LiveStyle does not do: use --precision bf16")
        : p;

    /// <summary>
    /// Forward, loss, backward, Adam update; temporaries belong to the caller's dispose scope. Under
    /// bf16 mixed precision the network computes in bf16 from its float32 weights, and its output is
    /// cast back to float32 for the loss.
    /// </summary>
    public static (double Loss, (string Name, double Value)[] Parts) Run(Module net, Adam adam, IObjective objective, Tensor input, Precision precision)
    {
        adam.ZeroGrad();
        var output = precision == Precision.Fp32 ? net.Forward(input) : net.Forward(input.To(precision.ScalarType())).To(ScalarType.Float32);
        var (loss, parts) = objective.Loss(input, output);
        loss.Backward();
        adam.StepOnce();
        return (loss.Item(), parts);
    }
}
