using LiveStyle.Tensors;
using LiveStyle.Train.Loss;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loop;

/// <summary>Johnson et al. (2016): content loss on relu2_2, Gram style loss on four layers, plus total variation.</summary>
public sealed class StyleObjective : IObjective
{
    private readonly Vgg _vgg;
    private readonly Tensor[] _styleGrams;
    private readonly double _content, _style, _tv;

    public StyleObjective(Vgg vgg, Tensor styleImage, double contentWeight, double styleWeight, double tvWeight)
    {
        (_vgg, _content, _style, _tv) = (vgg, contentWeight, styleWeight, tvWeight);
        using var noGrad = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        var features = _vgg.LossFeatures(styleImage);
        _styleGrams = features.Select(f => StyleLosses.Gram(f).MoveToOuterScope().DetachFromScope()).ToArray();
    }

    public string Kind => "train";

    public (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output)
    {
        var fy = _vgg.LossFeatures(output);
        Tensor target;
        using (Torch.NoGrad()) target = _vgg.LossFeatures(input, blocks: 2)[1]; // relu2_2 only
        var content = MseLoss(fy[1], target) * _content;
        var style = Torch.Zeros([]).To(output.Device);
        for (var i = 0; i < fy.Length; i++)
        {
            var diff = StyleLosses.Gram(fy[i]) - _styleGrams[i];
            style = style + diff.Square().Mean();
        }
        style = style * _style;
        var tv = StyleLosses.TotalVariation(output) * _tv;
        var total = content + style + tv;
        return (total, [("content", content.Item()), ("style", style.Item()), ("tv", tv.Item())]);
    }

    public void Dispose()
    {
        foreach (var g in _styleGrams) g.Dispose();
        _vgg.Dispose();
    }
}
