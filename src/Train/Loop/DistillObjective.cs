using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loop;

/// <summary>Teaches a student to reproduce a teacher network's output: mean squared error in 0..255 pixel units.</summary>
public sealed class DistillObjective(StyleModel teacher) : IObjective
{
    public string Kind => "distill";

    public (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output)
    {
        Tensor target;
        using (Torch.NoGrad()) target = teacher.Stylize(input);
        var loss = MseLoss(output, target);
        return (loss, [("pixel", loss.Item())]);
    }

    public void Dispose() => teacher.Dispose();
}
