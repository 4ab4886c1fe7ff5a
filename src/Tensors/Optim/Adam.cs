namespace LiveStyle.Tensors.Optim;

/// <summary>
/// Adam (Kingma and Ba, 2015) as torch.optim.Adam computes it, with in-place updates under no-grad.
/// Its state (step count and both moment estimates per parameter) is plain tensors, so a
/// checkpoint can save and restore it exactly.
/// </summary>
public sealed class Adam : IDisposable
{
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly Tensor[] _m, _v;

    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _parameters = parameters.ToList();
        (LearningRate, Beta1, Beta2, Eps) = (lr, beta1, beta2, eps);
        using var noGrad = Torch.NoGrad();
        _m = _parameters.Select(p => Torch.Zeros(p.Shape, p.Dtype, p.Device).DetachFromScope()).ToArray();
        _v = _parameters.Select(p => Torch.Zeros(p.Shape, p.Dtype, p.Device).DetachFromScope()).ToArray();
    }

    public double LearningRate { get; set; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public long Step { get; set; }

    /// <summary>First and second moment estimates, in parameter order (for saving and restoring).</summary>
    public IReadOnlyList<Tensor> FirstMoments => _m;
    public IReadOnlyList<Tensor> SecondMoments => _v;

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    public void StepOnce()
    {
        Step++;
        var correction1 = 1 - Math.Pow(Beta1, Step);
        var correction2 = 1 - Math.Pow(Beta2, Step);
        using var noGrad = Torch.NoGrad();
        for (var i = 0; i < _parameters.Count; i++)
        {
            using var grad = _parameters[i].Grad;
            if (grad == null) continue;
            _m[i].MulInPlace(Beta1).AddInPlace(grad, 1 - Beta1);
            _v[i].MulInPlace(Beta2).AddCMulInPlace(grad, grad, 1 - Beta2);
            using var root = _v[i].Sqrt();
            using var denominator = root / Math.Sqrt(correction2);
            using var shifted = denominator + Eps;
            _parameters[i].AddCDivInPlace(_m[i], shifted, -LearningRate / correction1);
        }
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
    }
}
