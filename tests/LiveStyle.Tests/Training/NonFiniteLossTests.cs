using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;
using LiveStyle.Train.Data;
using LiveStyle.Train.Loop;

namespace LiveStyle.Tests.Training;

/// <summary>A training step whose loss is not a finite number stops the run before the weights are touched.</summary>
public sealed class NonFiniteLossTests
{
    private sealed class Poisoned(double value) : IObjective
    {
        public string Kind => "train";
        public (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output) =>
            (output.Mean() * value, [("poison", value)]);
        public void Dispose() { }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void TheStepIsRefusedAndTheWeightsStay(double poison)
    {
        using var scope = Torch.NewDisposeScope();
        using var net = new TransformNet(TransformNetConfig.Mobile);
        var before = net.NamedParameters().ToDictionary(p => p.Name, p => p.Value.ToArray<float>());
        using var adam = new Adam(net.Parameters(), 1e-3);
        using var objective = new Poisoned(poison);
        var input = Torch.Rand([1, 3, 32, 32]) * 255;
        var e = Assert.Throws<TrainingException>(() => TrainingStep.Run(net, adam, objective, input, Precision.Fp32));
        Assert.Contains("not a finite number", e.Message);
        foreach (var (name, value) in net.NamedParameters()) Assert.Equal(before[name], value.ToArray<float>());
    }
}
