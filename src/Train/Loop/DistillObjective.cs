using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Train.Loss;
using static LiveStyle.Tensors.Functional;

namespace LiveStyle.Train.Loop;

/// <summary>
/// Teaches a student to reproduce a teacher network's output: mean squared error in 0..255 pixel
/// units, plus optionally a feature-matching term (mean squared difference of the two outputs' VGG
/// relu2_2 activations, the content layer of Johnson et al.) that rewards getting the brush texture
/// right rather than its average colour.
/// </summary>
public sealed class DistillObjective : IObjective
{
    private readonly StyleModel _teacher;
    private readonly ILossNetwork? _lossNetwork;
    private readonly string _layer;
    private readonly double _featureWeight;

    public DistillObjective(StyleModel teacher, ILossNetwork? lossNetwork = null, double featureWeight = 0, string layer = "relu2_2")
    {
        if (featureWeight > 0 && lossNetwork == null) throw new ArgumentException("feature matching needs a loss network (SqueezeNet or VGG)");
        (_teacher, _lossNetwork, _featureWeight, _layer) = (teacher, featureWeight > 0 ? lossNetwork : null, featureWeight, layer);
    }

    public string Kind => "distill";

    public (Tensor Loss, (string Name, double Value)[] Parts) Loss(Tensor input, Tensor output)
    {
        Tensor target;
        using (Torch.NoGrad()) target = _teacher.Stylize(input);
        var pixel = MseLoss(output, target);
        if (_lossNetwork == null) return (pixel, [("pixel", pixel.Item())]);

        var studentFeatures = _lossNetwork.Features(output, [_layer])[0];
        Tensor teacherFeatures;
        using (Torch.NoGrad()) teacherFeatures = _lossNetwork.Features(target, [_layer])[0];
        var feature = MseLoss(studentFeatures, teacherFeatures) * _featureWeight;
        return (pixel + feature, [("pixel", pixel.Item()), ("feature", feature.Item())]);
    }

    public void Dispose()
    {
        _teacher.Dispose();
        _lossNetwork?.Dispose();
    }
}
