namespace LiveStyle.Tensors.Optim;

/// <summary>
/// Limited-memory BFGS as torch.optim.LBFGS computes it (itself minFunc's algorithm), over one
/// parameter tensor: the same two-loop recursion, first step of min(1, 1/‖g‖₁)·lr, stopping rules
/// and optional strong-Wolfe line search, so a run matches PyTorch's from the same start. The history
/// costs 2·<see cref="HistorySize"/> copies of the parameter; optimising an image, that bounds memory.
/// </summary>
public sealed class Lbfgs : IDisposable
{
    private readonly Tensor _parameter;
    private readonly LinkedList<(Tensor Y, Tensor S, float Rho)> _history = new();
    private Tensor? _direction, _previousGradient;
    // Scalars are float32, as torch keeps them (0-d tensors), so runs agree step for step.
    private float _step, _hessianDiagonal = 1;

    public Lbfgs(Tensor parameter, double lr = 1, int maxIterations = 20, int? maxEvaluations = null, double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9, int historySize = 100, bool strongWolfe = false)
    {
        if (historySize < 1) throw new ArgumentOutOfRangeException(nameof(historySize), "L-BFGS needs a history of at least one step");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), "L-BFGS needs at least one iteration per step");
        _parameter = parameter;
        (LearningRate, MaxIterations, MaxEvaluations) = (lr, maxIterations, maxEvaluations ?? maxIterations * 5 / 4);
        (ToleranceGrad, ToleranceChange, HistorySize, StrongWolfe) = (toleranceGrad, toleranceChange, historySize, strongWolfe);
    }

    public double LearningRate { get; }
    public int MaxIterations { get; }
    public int MaxEvaluations { get; }
    public double ToleranceGrad { get; }
    public double ToleranceChange { get; }
    public int HistorySize { get; }
    public bool StrongWolfe { get; }

    /// <summary>Iterations over all calls to <see cref="Step"/> (torch's state['n_iter']).</summary>
    public long Iterations { get; private set; }
    public long Evaluations { get; private set; }

    /// <summary>
    /// Runs up to <see cref="MaxIterations"/> iterations. <paramref name="closure"/> zeroes the
    /// gradient, computes the loss with autograd, calls Backward and returns the loss; it runs with
    /// gradients enabled. <paramref name="afterIteration"/>, if given, runs after each iteration (the
    /// parameter then holds the new point) and stops the step by returning false. Returns the loss at
    /// the start of the step.
    /// </summary>
    public double Step(Func<double> closure, Func<bool>? afterIteration = null)
    {
        var firstLoss = Evaluate(closure);
        var loss = firstLoss;
        var evaluations = 1;
        using var noGrad = Torch.NoGrad();
        var gradient = FlatGradient();
        try
        {
            if (MaxAbs(gradient) <= ToleranceGrad) return firstLoss;
            for (var iteration = 1; iteration <= MaxIterations; iteration++)
            {
                Iterations++;
                UpdateDirection(gradient);
                if (_previousGradient == null) _previousGradient = gradient.Clone().DetachFromScope();
                else _previousGradient.CopyFrom(gradient);
                var previousLoss = loss;

                _step = Iterations == 1 ? Math.Min(1f, 1f / AbsSum(gradient)) * (float)LearningRate : (float)LearningRate;
                var slope = Dot(gradient, _direction!);
                if (slope > -ToleranceChange) break;

                int lineEvaluations;
                bool optimal;
                if (StrongWolfe)
                {
                    using var start = _parameter.Clone();
                    var search = StrongWolfeLineSearch.Run((t, d) => EvaluateAlong(closure, start, t, d), _step, _direction!, loss, gradient, slope, ToleranceChange);
                    gradient.Dispose();
                    (loss, gradient, var step, lineEvaluations) = search;
                    _step = (float)step;
                    AddToParameter(_step, _direction!);
                    optimal = MaxAbs(gradient) <= ToleranceGrad;
                }
                else
                {
                    AddToParameter(_step, _direction!);
                    lineEvaluations = 0;
                    optimal = false;
                    if (iteration != MaxIterations)
                    {
                        loss = Evaluate(closure);
                        gradient.Dispose();
                        gradient = FlatGradient();
                        optimal = MaxAbs(gradient) <= ToleranceGrad;
                        lineEvaluations = 1;
                    }
                }
                evaluations += lineEvaluations;
                if (afterIteration != null && !afterIteration()) break;

                if (iteration == MaxIterations || evaluations >= MaxEvaluations || optimal) break;
                using (var moved = _direction! * _step)
                    if (MaxAbs(moved) <= ToleranceChange) break;
                if (Math.Abs(loss - previousLoss) < ToleranceChange) break;
            }
            return firstLoss;
        }
        finally
        {
            gradient.Dispose();
        }
    }

    /// <summary>The next search direction: −g at first, then the two-loop recursion over the history.</summary>
    private void UpdateDirection(Tensor gradient)
    {
        if (Iterations == 1)
        {
            ReplaceDirection(-gradient);
            return;
        }
        var y = gradient - _previousGradient!;
        var s = _direction! * _step;
        var ys = Dot(y, s);
        if (ys > 1e-10)
        {
            if (_history.Count == HistorySize)
            {
                var (oldY, oldS, _) = _history.First!.Value;
                oldY.Dispose();
                oldS.Dispose();
                _history.RemoveFirst();
            }
            _history.AddLast((y.DetachFromScope(), s.DetachFromScope(), 1 / ys));
            _hessianDiagonal = ys / Dot(y, y);
        }
        else
        {
            y.Dispose();
            s.Dispose();
        }

        var alphas = new float[_history.Count];
        var q = -gradient;
        var i = _history.Count - 1;
        for (var node = _history.Last; node != null; node = node.Previous, i--)
        {
            alphas[i] = Dot(node.Value.S, q) * node.Value.Rho;
            q.AddInPlace(node.Value.Y, -alphas[i]);
        }
        q.MulInPlace(_hessianDiagonal);
        i = 0;
        for (var node = _history.First; node != null; node = node.Next, i++)
        {
            var beta = Dot(node.Value.Y, q) * node.Value.Rho;
            q.AddInPlace(node.Value.S, alphas[i] - beta);
        }
        ReplaceDirection(q);
    }

    private void ReplaceDirection(Tensor direction)
    {
        _direction?.Dispose();
        _direction = direction.DetachFromScope();
    }

    private (double Loss, Tensor Gradient) EvaluateAlong(Func<double> closure, Tensor start, double t, Tensor direction)
    {
        AddToParameter(t, direction);
        var loss = Evaluate(closure);
        var gradient = FlatGradient();
        _parameter.CopyFrom(start);
        return (loss, gradient);
    }

    private double Evaluate(Func<double> closure)
    {
        Evaluations++;
        using var grad = Torch.EnableGrad();
        return closure();
    }

    private Tensor FlatGradient()
    {
        using var grad = _parameter.Grad;
        if (grad == null) return Torch.Zeros([_parameter.NumElements], _parameter.Dtype, _parameter.Device).DetachFromScope();
        using var flat = grad.Reshape(-1);
        return flat.Clone().DetachFromScope();
    }

    private void AddToParameter(double t, Tensor direction)
    {
        using var view = _parameter.Reshape(-1);
        view.AddInPlace(direction, t);
    }

    /// <summary>torch.dot (matmul of two vectors), as torch's LBFGS computes it.</summary>
    internal static float Dot(Tensor a, Tensor b)
    {
        using var product = a.MatMul(b);
        return (float)product.Item();
    }

    internal static double MaxAbs(Tensor a)
    {
        using var abs = a.Abs();
        using var max = abs.Max();
        return max.Item();
    }

    private static float AbsSum(Tensor a)
    {
        using var abs = a.Abs();
        using var sum = abs.Sum();
        return (float)sum.Item();
    }

    public void Dispose()
    {
        foreach (var (y, s, _) in _history)
        {
            y.Dispose();
            s.Dispose();
        }
        _history.Clear();
        _direction?.Dispose();
        _previousGradient?.Dispose();
    }
}
