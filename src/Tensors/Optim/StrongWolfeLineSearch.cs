namespace LiveStyle.Tensors.Optim;

/// <summary>
/// The strong-Wolfe line search of torch.optim.LBFGS (ported there from Torch7's lswolfe.lua):
/// bracket a step satisfying the sufficient-decrease and curvature conditions, then zoom in by cubic
/// interpolation. Gradients returned are owned by the caller.
/// </summary>
internal static class StrongWolfeLineSearch
{
    private const double C1 = 1e-4, C2 = 0.9;
    private const int MaxSteps = 25;

    /// <summary>One bracket end: step, loss, gradient (owned by the bracket) and slope along the direction.</summary>
    private sealed class Point(double t, double f, Tensor g, double gtd)
    {
        public double T = t, F = f, Gtd = gtd;
        public Tensor G = g;
    }

    public static (double Loss, Tensor Gradient, double Step, int Evaluations) Run(
        Func<double, Tensor, (double Loss, Tensor Gradient)> evaluate, double t, Tensor d, double f, Tensor g, double gtd, double toleranceChange)
    {
        var dNorm = Lbfgs.MaxAbs(d);
        var (fNew, gNew) = evaluate(t, d);
        var evaluations = 1;
        var gtdNew = Lbfgs.Dot(gNew, d);
        var previous = new Point(0, f, g.Clone(), gtd);
        var owned = new List<Tensor> { previous.G };
        Point[] bracket;
        var done = false;
        var steps = 0;
        try
        {
            while (true)
            {
                if (steps == MaxSteps)
                {
                    bracket = [new Point(0, f, Keep(g.Clone(), owned), gtd), new Point(t, fNew, Keep(gNew, owned), gtdNew)];
                    break;
                }
                if (fNew > f + C1 * t * gtd || (steps > 1 && fNew >= previous.F))
                {
                    bracket = [previous, new Point(t, fNew, Keep(gNew, owned), gtdNew)];
                    break;
                }
                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    bracket = [new Point(t, fNew, Keep(gNew, owned), gtdNew)];
                    done = true;
                    break;
                }
                if (gtdNew >= 0)
                {
                    bracket = [previous, new Point(t, fNew, Keep(gNew, owned), gtdNew)];
                    break;
                }
                var next = CubicInterpolate(previous.T, previous.F, previous.Gtd, t, fNew, gtdNew, t + 0.01 * (t - previous.T), t * 10);
                previous = new Point(t, fNew, Keep(gNew, owned), gtdNew);
                t = next;
                (fNew, gNew) = evaluate(t, d);
                evaluations++;
                gtdNew = Lbfgs.Dot(gNew, d);
                steps++;
            }

            var insufficientProgress = false;
            var (low, high) = bracket[0].F <= bracket[^1].F ? (0, 1) : (1, 0);
            while (!done && steps < MaxSteps)
            {
                if (Math.Abs(bracket[1].T - bracket[0].T) * dNorm < toleranceChange) break;
                t = CubicInterpolate(bracket[0].T, bracket[0].F, bracket[0].Gtd, bracket[1].T, bracket[1].F, bracket[1].Gtd);
                double top = Math.Max(bracket[0].T, bracket[1].T), bottom = Math.Min(bracket[0].T, bracket[1].T);
                var eps = 0.1 * (top - bottom);
                if (Math.Min(top - t, t - bottom) < eps)
                {
                    if (insufficientProgress || t >= top || t <= bottom)
                    {
                        t = Math.Abs(t - top) < Math.Abs(t - bottom) ? top - eps : bottom + eps;
                        insufficientProgress = false;
                    }
                    else insufficientProgress = true;
                }
                else insufficientProgress = false;

                (fNew, gNew) = evaluate(t, d);
                Keep(gNew, owned);
                evaluations++;
                gtdNew = Lbfgs.Dot(gNew, d);
                steps++;

                if (fNew > f + C1 * t * gtd || fNew >= bracket[low].F)
                {
                    bracket[high] = new Point(t, fNew, gNew, gtdNew);
                    (low, high) = bracket[0].F <= bracket[1].F ? (0, 1) : (1, 0);
                }
                else
                {
                    if (Math.Abs(gtdNew) <= -C2 * gtd) done = true;
                    else if (gtdNew * (bracket[high].T - bracket[low].T) >= 0) bracket[high] = bracket[low];
                    bracket[low] = new Point(t, fNew, gNew, gtdNew);
                }
            }
            var best = bracket[low];
            owned.Remove(best.G);
            return (best.F, best.G, best.T, evaluations);
        }
        finally
        {
            foreach (var tensor in owned) tensor.Dispose();
        }
    }

    private static Tensor Keep(Tensor tensor, List<Tensor> owned)
    {
        if (!owned.Contains(tensor)) owned.Add(tensor);
        return tensor;
    }

    /// <summary>The minimiser of the cubic through two points with values and slopes, clamped to the bounds (torch's _cubic_interpolate).</summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double? lower = null, double? upper = null)
    {
        var (min, max) = lower is { } l && upper is { } u ? (l, u) : x1 <= x2 ? (x1, x2) : (x2, x1);
        var d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        var d2Square = d1 * d1 - g1 * g2;
        if (d2Square < 0) return (min + max) / 2;
        var d2 = Math.Sqrt(d2Square);
        var position = x1 <= x2
            ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
            : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return Math.Min(Math.Max(position, min), max);
    }
}
