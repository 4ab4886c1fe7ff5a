using System.Diagnostics;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Train.Loss;

namespace LiveStyle.Train.Loop;

/// <summary>
/// `bench train`: the time of one training step as `train` and `distill` take it (<see cref="TrainingStep.Run"/> on a
/// <see cref="Student"/>), on random data and random loss or teacher networks, so no download or data set is needed.
/// </summary>
public static class TrainingStepTimings
{
    /// <param name="objective">"train" (VGG-16 perceptual losses) or "distill" (pixel loss against a random fst teacher).</param>
    /// <returns>Milliseconds of each timed step.</returns>
    public static double[] Measure(string objective, TransformNetConfig config, int crop, int batch, int warmup, int repeats, Precision precision, Device device)
    {
        using var scope = Torch.NewDisposeScope(); // the batch and the style image
        using var student = Student.Create(config, device, 1e-3, seed: 0);
        var input = (Torch.Rand([batch, 3, crop, crop]) * 255.0).To(device);
        using var loss = Objective(objective, crop, precision, device);
        var samples = new List<double>();
        for (var i = 0; i < warmup + repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (Torch.NewDisposeScope()) TrainingStep.Run(student.Net, student.Adam, loss, input, precision);
            if (i >= warmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples.ToArray();
    }

    private static IObjective Objective(string kind, int crop, Precision precision, Device device)
    {
        if (kind == "distill")
        {
            var teacher = new TransformNet(TransformNetConfig.FastStyleTransfer);
            return new DistillObjective(StyleModel.FromNetwork(teacher, new ModelInfo(teacher.Config, "random", "bench", new Dictionary<string, string>()), device, precision));
        }
        var vgg = Vgg.FromState(Vgg.RandomState(Vgg.TorchvisionWidths, seed: 0), "random VGG-16");
        vgg.To(device, precision.ScalarType());
        var style = (Torch.Rand([1, 3, crop, crop]) * 255.0).To(device);
        return new StyleObjective(vgg, vgg.FeedForward, style);
    }
}
