using LiveStyle.Models.Inference;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;
using LiveStyle.Train.Data;
using LiveStyle.Train.Loss;

namespace LiveStyle.Train.Loop;

/// <summary>The optional temporal term of a run: pairs of consecutive video frames and the weight of their <see cref="TemporalConsistency"/> loss.</summary>
public sealed record TemporalTerm(FramePairs Pairs, double Weight)
{
    /// <summary>Measured on fox.mp4 (docs/STABLE-VIDEO.md): a third less flicker for 0.2 dB of PSNR against the teacher; 4 halves it for 0.85 dB.</summary>
    public const double DefaultWeight = 1;

    /// <summary>Frame pairs per step beside a batch of still crops: half the batch, at least one.</summary>
    public static int PairsPerStep(int batch) => Math.Max(1, batch / 2);

    /// <summary>Decodes the clips' frame pairs at the data's crop and scales.</summary>
    public static TemporalTerm Open(string clips, double weight, TrainingImages data, CancellationToken cancel) =>
        new(new FramePairs(clips, data.Crop, PairsPerStep(data.Batch), data.Seed, data.MinScale, data.MaxScale, cancel), weight);

    /// <summary>What a trained model records of its recipe: the data it saw and the temporal term.</summary>
    public static void Describe(IDictionary<string, string> recipe, TrainingImages data, TemporalTerm? temporal)
    {
        recipe["crop"] = Invariant(data.Crop);
        recipe["batch"] = Invariant(data.Batch);
        recipe["data_images"] = Invariant(data.Count);
        recipe["scale"] = $"{data.MinScale}-{data.MaxScale}";
        if (temporal != null)
            (recipe["temporal_weight"], recipe["temporal_pairs"], recipe["temporal_clips"]) =
                (Invariant(temporal.Weight), Invariant(temporal.Pairs.Count), Invariant(temporal.Pairs.Clips));
    }

    private static string Invariant(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One optimisation step, the unit both the training loop and `bench train` time.</summary>
public static class TrainingStep
{
    /// <summary>fp32 or bf16 mixed precision; fp16 would need loss scaling, which is not built.</summary>
    public static Precision ParsePrecision(string text) => Precisions.Parse(text) is var p && p == Precision.Fp16
        ? throw new ArgumentException("fp16 training needs loss scaling, which LiveStyle does not do: use --precision bf16")
        : p;

    /// <summary>
    /// Forward, loss, backward, Adam update; temporaries belong to the caller's dispose scope. Under
    /// bf16 mixed precision the network computes in bf16 from its float32 weights, and its output is
    /// cast back to float32 for the loss. With <paramref name="pairs"/>, their frames go through the
    /// network in the same pass (every layer treats each image on its own) and add the temporal term.
    /// </summary>
    public static (double Loss, (string Name, double Value)[] Parts) Run(Module net, Adam adam, IObjective objective, Tensor input, Precision precision,
        PairBatch? pairs = null, double temporalWeight = 0)
    {
        adam.ZeroGrad();
        var frames = pairs is null ? null : Torch.FromArray(pairs.Frames, 2L * pairs.Count, 3, pairs.Crop, pairs.Crop).To(input.Device);
        var all = frames is null ? input : Torch.Cat([input, frames], 0);
        var output = precision == Precision.Fp32 ? net.Forward(all) : net.Forward(all.To(precision.ScalarType())).To(ScalarType.Float32);
        var images = input.Size(0);
        var (loss, parts) = objective.Loss(input, frames is null ? output : output.Narrow(0, 0, images));
        if (frames is not null)
        {
            var temporal = TemporalConsistency.Loss(frames, output.Narrow(0, images, 2L * pairs!.Count), pairs) * temporalWeight;
            loss = loss + temporal;
            parts = [.. parts, ("temporal", temporal.Item())];
        }
        var value = loss.Item();
        if (!double.IsFinite(value))
            throw new TrainingException($"the loss went to {value}, not a finite number (a poisoned teacher or painting, or a learning rate too high); the step was not taken");
        loss.Backward();
        adam.StepOnce();
        return (value, parts);
    }
}
