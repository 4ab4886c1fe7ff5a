using LiveStyle.Tensors;
using LiveStyle.Train.Loss;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Paint;

/// <summary>
/// Gatys et al. (2016)'s objective for one image x (RGB 0..255, [1, 3, H, W]):
/// content Σᵢ wᵢ·mean((Fᵢ(x) − Fᵢ(content))²), style Σₗ wₗ·mean((G(Fₗ(x)) − Aₗ)²) with G the Gram
/// matrix normalised by C·H·W and Aₗ the blend Σₖ bₖ·G(Fₗ(styleₖ)) of several paintings, and total
/// variation mean((∂ₓx)²) + mean((∂ᵧx)²); each times its weight. The targets are computed once.
/// </summary>
public sealed class PaintObjective : IDisposable
{
    private readonly ILossNetwork _network;
    private readonly PerceptualRecipe _recipe;
    private readonly Tensor[] _contentTargets, _styleTargets;
    private readonly IReadOnlyList<string> _layers;

    public PaintObjective(ILossNetwork network, PerceptualRecipe recipe, Tensor content, IReadOnlyList<(Tensor Image, double Weight)> styles)
    {
        if (styles.Count == 0) throw new ArgumentException("paint needs at least one style image");
        (_network, _recipe) = (network, recipe);
        _layers = recipe.Style.Names.Concat(recipe.Content.Names).ToList();
        using var noGrad = Torch.NoGrad();
        _contentTargets = recipe.Features(network, content, recipe.Content.Names).Select(t => t.DetachFromScope()).ToArray();
        var total = styles.Sum(s => s.Weight);
        _styleTargets = new Tensor[recipe.Style.Layers.Count];
        foreach (var (image, weight) in styles)
        {
            using var scope = Torch.NewDisposeScope();
            var features = recipe.Features(network, image, recipe.Style.Names);
            for (var l = 0; l < features.Length; l++)
            {
                var gram = StyleLosses.Gram(features[l]) * (weight / total);
                _styleTargets[l] = _styleTargets[l] == null ? gram.DetachFromScope() : (_styleTargets[l] + gram).DetachFromScope();
            }
        }
    }

    /// <summary>The total loss (with autograd) and its parts already weighted: content, style, tv.</summary>
    public (Tensor Total, double Content, double Style, double Tv) Loss(Tensor image)
    {
        var features = _recipe.Features(_network, image, _layers);
        var styleCount = _styleTargets.Length;
        var content = Torch.Zeros([], device: image.Device);
        for (var i = 0; i < _contentTargets.Length; i++)
            content = content + MseLoss(features[styleCount + i], _contentTargets[i]) * _recipe.Content.Layers[i].Weight;
        content = content * _recipe.ContentWeight;
        var style = Torch.Zeros([], device: image.Device);
        for (var l = 0; l < styleCount; l++)
        {
            using var gram = StyleLosses.Gram(features[l]);
            style = style + MseLoss(gram, _styleTargets[l]) * _recipe.Style.Layers[l].Weight;
        }
        style = style * _recipe.StyleWeight;
        var tv = StyleLosses.SquaredTotalVariation(image) * _recipe.TvWeight;
        return (content + style + tv, content.Item(), style.Item(), tv.Item());
    }

    public void Dispose()
    {
        foreach (var t in _contentTargets.Concat(_styleTargets)) t?.Dispose();
    }
}
