using LiveStyle.Tensors;

namespace LiveStyle.Train.Loss;

/// <summary>
/// What the loss networks share: frozen weights they own, and a chain of named stages run only as
/// deep as asked. Subclasses give the preprocessing, the stages and the classifier head.
/// </summary>
public abstract class LossNetwork : ILossNetwork
{
    private readonly List<Tensor> _weights = new();
    private (string Name, Func<Tensor, Tensor> Run)[] _stages = [];

    public abstract string Name { get; }
    public abstract int ClassifySize { get; }
    public Pooling Pooling { get; set; }
    public abstract PerceptualRecipe FeedForward { get; }
    public abstract PerceptualRecipe Paint { get; }
    public IReadOnlyList<string> Layers => _stages.Select(s => s.Name).ToList();
    public ScalarType Dtype => _weights[0].Dtype;

    /// <summary>RGB 0..255 → the network's input (channel order, scale, mean).</summary>
    protected abstract Tensor Preprocess(Tensor rgb255);

    /// <summary>From the last stage's output to the [N, 1000] class scores.</summary>
    protected abstract Tensor Head(Tensor features);

    protected void SetStages(params (string Name, Func<Tensor, Tensor> Run)[] stages) => _stages = stages;

    /// <summary>Takes ownership of a weight (it is moved by <see cref="To"/> and freed with the network).</summary>
    protected Tensor Own(Tensor weight)
    {
        _weights.Add(weight.DetachFromScope());
        return weight;
    }

    protected Tensor Pool(Tensor x, int kernel, int stride) =>
        Pooling == Pooling.Max ? Functional.MaxPool2d(x, kernel, stride) : Functional.AvgPool2d(x, kernel, stride);

    public void To(Device device, ScalarType dtype = ScalarType.Float32)
    {
        foreach (var w in _weights) w.Assign(w.To(device, dtype));
    }

    public Tensor[] Features(Tensor rgb255, IReadOnlyList<string> layers)
    {
        var wanted = layers.Select(l => Array.FindIndex(_stages, s => s.Name == l)).ToArray();
        for (var i = 0; i < wanted.Length; i++)
            if (wanted[i] < 0) throw new ArgumentException($"{Name} has no layer '{layers[i]}'; its layers are {string.Join(", ", Layers)}");
        var outputs = Run(rgb255, wanted.Length == 0 ? -1 : wanted.Max(), wanted.ToHashSet());
        return wanted.Select(i => outputs[i]!).ToArray();
    }

    public Tensor Logits(Tensor rgb255)
    {
        var last = _stages.Length - 1;
        var features = Run(rgb255, last, [last])[last]!;
        using var logits = Head(features);
        features.Dispose();
        return logits.Dtype == ScalarType.Float32 ? logits.Alias() : logits.To(ScalarType.Float32);
    }

    /// <summary>Runs the stages up to <paramref name="deepest"/>; keeps (as float32) the outputs of <paramref name="keep"/>, frees the rest.</summary>
    private Tensor?[] Run(Tensor rgb255, int deepest, HashSet<int> keep)
    {
        var outputs = new Tensor?[_stages.Length];
        var x = Preprocess(rgb255);
        if (x.Dtype != Dtype) x.Assign(x.To(Dtype));
        for (var i = 0; i <= deepest; i++)
        {
            var next = _stages[i].Run(x);
            if (i == 0 || !keep.Contains(i - 1)) x.Dispose();
            if (keep.Contains(i)) outputs[i] = next;
            x = next;
        }
        if (deepest < 0 || !keep.Contains(deepest)) x.Dispose();
        for (var i = 0; i < outputs.Length; i++)
            if (outputs[i] is { Dtype: not ScalarType.Float32 } low)
            {
                outputs[i] = low.To(ScalarType.Float32);
                low.Dispose();
            }
        return outputs;
    }

    public void Dispose()
    {
        foreach (var w in _weights) w.Dispose();
        _weights.Clear();
    }
}
