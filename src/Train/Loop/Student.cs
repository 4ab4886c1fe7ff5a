using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;

namespace LiveStyle.Train.Loop;

/// <summary>A network being trained and its optimiser, set up alike by the training loop and `bench train`.</summary>
public sealed class Student : IDisposable
{
    private Student(TransformNet net, Adam adam) => (Net, Adam) = (net, adam);

    public TransformNet Net { get; }
    public Adam Adam { get; }

    /// <summary>Seeded weights of <paramref name="config"/> on <paramref name="device"/>, float32 with gradients, and Adam over them.</summary>
    public static Student Create(TransformNetConfig config, Device device, double learningRate, ulong seed)
    {
        Torch.ManualSeed(seed);
        var net = new TransformNet(config);
        try
        {
            net.To(device, ScalarType.Float32);
            net.SetRequiresGrad(true);
            return new Student(net, new Adam(net.Parameters(), learningRate));
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Adam.Dispose();
        Net.Dispose();
    }
}
