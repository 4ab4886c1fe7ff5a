using LiveStyle.Tensors;
using LiveStyle.Train.Loss;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loop;

/// <summary>
/// Johnson et al. (2016): feature content loss, Gram style loss on several weighted layers, plus
/// total variation, over any loss network (VGG-16's relu2_2 and relu1_2 … relu4_3 are the paper's).
/// </summary>
public sealed class StyleObjective : IObjective
{
    private readonly ILossNetwork _network;
    private readonly PerceptualRecipe _recipe;
    private readonly Tensor[] _styleGrams;

    public StyleObjective(ILossNetwork network, PerceptualRecipe recipe, Tensor styleImage)
    {
        (_network, _recipe) = (network, recipe);
        using var noGrad = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        var features = recipe.Features(_network, styleImage, recipe.Style.Names);
        _styleGrams = features.Select(f => StyleLosses.Gram(f).MoveToOuterScope().DetachFromScope()).ToArray();
    }

    public string Kind => "train";

    public (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output)
    {
        var fy = _recipe.Features(_network, output, _recipe.Style.Names.Concat(_recipe.Content.Names).ToList());
        Tensor[] targets;
        using (Torch.NoGrad()) targets = _recipe.Features(_network, input, _recipe.Content.Names);
        var content = Torch.Zeros([]).To(output.Device);
        for (var i = 0; i < targets.Length; i++)
            content = content + MseLoss(fy[_styleGrams.Length + i], targets[i]) * _recipe.Content.Layers[i].Weight;
        content = content * _recipe.ContentWeight;
        var style = Torch.Zeros([]).To(output.Device);
        for (var i = 0; i < _styleGrams.Length; i++)
        {
            var diff = StyleLosses.Gram(fy[i]) - _styleGrams[i];
            style = style + diff.Square().Mean() * _recipe.Style.Layers[i].Weight;
        }
        style = style * _recipe.StyleWeight;
        var tv = StyleLosses.TotalVariation(output) * _recipe.TvWeight;
        var total = content + style + tv;
        return (total, [("content", content.Item()), ("style", style.Item()), ("tv", tv.Item())]);
    }

    public void Dispose()
    {
        foreach (var g in _styleGrams) g.Dispose();
        _network.Dispose();
    }
}
