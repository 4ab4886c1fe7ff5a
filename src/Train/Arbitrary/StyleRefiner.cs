using System.Diagnostics;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Nn;
using LiveStyle.Tensors.Optim;
using LiveStyle.Train.Loss;
using LiveStyle.Train.Paint;

namespace LiveStyle.Train.Arbitrary;

/// <summary>How a refinement went: the losses before and after (weighted as paint weighs them) and its time.</summary>
public sealed record RefineReport(double ContentBefore, double StyleBefore, double ContentAfter, double StyleAfter, int Steps, TimeSpan Elapsed);

/// <summary>
/// Tunes the 100 numbers of an arbitrary style's vector to one painting: Adam on the vector alone, through the
/// transformer's conditional norms (scale and shift are linear in it), on paint's objective (the painting's Gram
/// matrices and the photo's content, on the loss network's layers). The transformer's weights do not move.
/// </summary>
public static class StyleRefiner
{
    public static (float[] Style, RefineReport Report) Refine(ConditionalTransformer transformer, float[] start, ILossNetwork lossNetwork,
        Tensor photo, IReadOnlyList<(Tensor Image, double Weight)> paintings, int steps, double learningRate = 0.05, Action<int, double>? progress = null,
        CancellationToken cancel = default)
    {
        if (steps < 1) throw new ArgumentException("refining takes at least one step");
        var clock = Stopwatch.StartNew();
        using var scope = Torch.NewDisposeScope();
        using var net = new TransformNet(transformer.Config);
        net.LoadStateDict(transformer.Fold(start).ToDictionary(kv => kv.Key, kv => Torch.FromArray(kv.Value.Data, kv.Value.Shape)));
        net.SetRequiresGrad(false);
        var norms = net.NamedModules().Where(m => m.Value is InstanceNorm2d).ToDictionary(m => m.Name, m => (InstanceNorm2d)m.Value);
        var projections = transformer.Norms.Select(n => (
            Norm: norms.TryGetValue(n.Norm, out var norm) ? norm : throw new ModelFormatException($"the transformer has no norm {n.Norm}"),
            GammaW: Tensor(n.GammaWeight), GammaB: Tensor(n.GammaBias), BetaW: Tensor(n.BetaWeight), BetaB: Tensor(n.BetaBias))).ToList();

        var style = Torch.FromArray(start, [start.Length, 1]).DetachFromScope();
        style.RequiresGrad = true;
        using (style)
        using (var objective = new PaintObjective(lossNetwork, lossNetwork.Paint, photo, paintings))
        using (var adam = new Adam([style], learningRate))
        {
            (double Content, double Style) before = default, after = default;
            for (var step = 0; step <= steps; step++)
            {
                cancel.ThrowIfCancellationRequested();
                using var stepScope = Torch.NewDisposeScope();
                foreach (var p in projections)
                {
                    var scale = (p.GammaW.MatMul(style) + p.GammaB).Reshape(-1);
                    var shift = (p.BetaW.MatMul(style) + p.BetaB).Reshape(-1);
                    p.Norm.Conditional = (scale, shift);
                }
                var (total, content, styleLoss, _) = objective.Loss(net.Forward(photo));
                if (!double.IsFinite(total.Item())) throw new ArithmeticException("the refinement's loss is not a finite number; try a smaller --refine-rate");
                if (step == 0) before = (content, styleLoss);
                after = (content, styleLoss);
                if (step == steps) break;
                adam.ZeroGrad();
                total.Backward();
                adam.StepOnce();
                progress?.Invoke(step + 1, total.Item());
            }
            foreach (var p in projections) p.Norm.Conditional = null;
            var refined = style.ToArray<float>();
            if (refined.Any(v => !float.IsFinite(v))) throw new ArithmeticException("the refined style vector is not finite");
            return (refined, new RefineReport(before.Content, before.Style, after.Content, after.Style, steps, clock.Elapsed));
        }
    }

    private static Tensor Tensor(HostTensor t) => t.Shape.Length == 1 ? Torch.FromArray(t.Data, [t.Shape[0], 1]) : Torch.FromArray(t.Data, t.Shape);
}
