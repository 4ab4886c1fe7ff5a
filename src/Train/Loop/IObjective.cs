using LiveStyle.Tensors;

namespace LiveStyle.Train.Loop;

/// <summary>What a training run minimises, given a batch of inputs and the network's outputs (both RGB 0..255).</summary>
public interface IObjective : IDisposable
{
    /// <summary>"train" or "distill": a checkpoint of one kind does not resume the other.</summary>
    string Kind { get; }

    /// <summary>The loss to differentiate, and its named parts for the progress line.</summary>
    (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output);
}
