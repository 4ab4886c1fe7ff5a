using LiveStyle.Tensors;

namespace LiveStyle.Train.Loss;

/// <summary>Max pooling (as trained) or average pooling (Gatys et al.'s choice for smoother images).</summary>
public enum Pooling { Max, Average }

/// <summary>
/// An ImageNet classifier used for its activations: perceptual losses, Gram style targets and the
/// classification check that proves its weights and preprocessing are right. Frozen; every method
/// takes images as [N, 3, H, W] RGB 0..255 and does the network's own preprocessing.
/// </summary>
public interface ILossNetwork : IDisposable
{
    /// <summary>squeezenet, vgg16 or vgg19.</summary>
    string Name { get; }

    /// <summary>The layers whose activations <see cref="Features"/> can return, input to output.</summary>
    IReadOnlyList<string> Layers { get; }

    /// <summary>The square input size it was trained to classify.</summary>
    int ClassifySize { get; }

    Pooling Pooling { get; set; }

    /// <summary>Default layers and weights for training a feed-forward network (Johnson et al.'s choice on VGG).</summary>
    PerceptualRecipe FeedForward { get; }

    /// <summary>Default layers and weights for the optimisation-based method (Gatys et al.'s choice on VGG).</summary>
    PerceptualRecipe Paint { get; }

    ScalarType Dtype { get; }

    void To(Device device, ScalarType dtype = ScalarType.Float32);

    /// <summary>
    /// The activations after the named layers, in the order asked, for an RGB 0..255 image; computed in
    /// the weights' dtype and returned as float32 so Gram matrices and losses keep full precision.
    /// Runs only as deep as the deepest layer asked for.
    /// </summary>
    Tensor[] Features(Tensor rgb255, IReadOnlyList<string> layers);

    /// <summary>Class scores before the softmax ([N, 1000]) of a <see cref="ClassifySize"/>² RGB 0..255 image.</summary>
    Tensor Logits(Tensor rgb255);
}
