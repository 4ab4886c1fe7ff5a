using LiveStyle.Tensors;
using LiveStyle.Train.Data;

namespace LiveStyle.Train.Loss;

/// <summary>
/// ReCoNet's output-level temporal loss (Gao et al. 2018, "ReCoNet: Real-time Coherent Video Style
/// Transfer Network"): for consecutive frames t and t+1 and the network's outputs on both, the output's
/// change along the optical flow, less the input's change in luminance (so that light that really changes
/// may change the painting), squared, over the pixels visible in both frames:
/// mean(M · ((O_t − W(O_t+1)) − (Y(I_t) − W(Y(I_t+1))))²), in 0..255 units, over channels and all pixels.
/// A network whose output follows the content exactly as it moves scores zero; shimmering texture does not.
/// </summary>
public static class TemporalConsistency
{
    private static readonly float[] Luma = [0.299f, 0.587f, 0.114f];

    /// <param name="inputs">The pairs' frames, [2·Count, 3, H, W] as in <see cref="PairBatch.Frames"/>.</param>
    /// <param name="outputs">The network's outputs on them, in the same order.</param>
    public static Tensor Loss(Tensor inputs, Tensor outputs, PairBatch pairs)
    {
        var device = outputs.Device;
        var n = pairs.Count;
        var positions = (long)n * pairs.Crop * pairs.Crop;
        var weights = Torch.FromArray(pairs.TapWeights, PairBatch.Corners, positions).To(device);
        var visible = Torch.FromArray(pairs.Visible, 1, positions).To(device);
        var luma = Torch.FromArray(Luma, 3, 1).To(device);

        Tensor Flat(Tensor x, long first) => x.Narrow(0, first, n).Permute(1, 0, 2, 3).Reshape(x.Size(1), positions);
        Tensor Luminance(Tensor flat) => (flat * luma).Sum([0], keepDim: true);
        Tensor Warp(Tensor flat)
        {
            Tensor? sum = null;
            for (var k = 0; k < PairBatch.Corners; k++)
            {
                var corner = flat.IndexSelect(1, pairs.Taps.AsSpan(k * (int)positions, (int)positions)) * weights.Narrow(0, k, 1);
                sum = sum is null ? corner : sum + corner;
            }
            return sum!;
        }

        var outputChange = Flat(outputs, 0) - Warp(Flat(outputs, n));
        var inputChange = Luminance(Flat(inputs, 0)) - Warp(Luminance(Flat(inputs, n)));
        return ((outputChange - inputChange).Square() * visible).Mean();
    }
}
