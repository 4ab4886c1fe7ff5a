using System.Diagnostics;
using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Tensors.Optim;
using LiveStyle.Train.Data;

namespace LiveStyle.Train.Loop;

public sealed record TrainingSettings(
    TransformNetConfig Config, string Style, long Steps, double LearningRate, int Seed, int CheckpointEvery, int PreviewEvery,
    string? PreviewImage, Device Device, IReadOnlyDictionary<string, string> Recipe, LearningRateSchedule Schedule = LearningRateSchedule.Constant,
    Precision Precision = Precision.Fp32);

public sealed record StepReport(long Step, long Steps, (string Name, double Value)[] Parts, double StepsPerSecond);

/// <summary>
/// The loop both `train` and `distill` run: Adam on the transform network, checkpoints (weights,
/// Adam moments, step) written atomically every N steps and on Ctrl+C, resume that continues
/// bit-for-bit (same seed → same batches at the same steps), a preview image every N steps, and a
/// final model whose metadata carries the recipe.
/// </summary>
public sealed class TrainingRun(TrainingSettings settings, IObjective objective, TrainingImages data, TemporalTerm? temporal = null)
{
    private const string ModelPrefix = "model.", FirstMoment = "adam.m.", SecondMoment = "adam.v.";

    public long Step { get; private set; }
    public List<double> Losses { get; } = new();

    /// <summary>
    /// Nothing is lost: a model is written only as .safetensors and replaces an existing one only with
    /// <paramref name="force"/>; a checkpoint of an earlier run is continued (<paramref name="resume"/>) or,
    /// with <paramref name="force"/>, started over. Checked before any network is loaded.
    /// </summary>
    public static void CheckOutputs(string output, string checkpoint, bool resume, bool force)
    {
        if (!output.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) throw new TrainingException($"{output}: the model must be a .safetensors file");
        if (File.Exists(output) && !force) throw new TrainingException($"{output} already exists (use --force to replace it)");
        if (File.Exists(checkpoint) && !resume && !force) throw new TrainingException($"{checkpoint} holds an earlier run: --resume continues it, --force starts over");
    }

    public void Run(string output, string checkpoint, bool resume, Action<StepReport> report, CancellationToken cancel)
    {
        using var student = Student.Create(settings.Config, settings.Device, settings.LearningRate, (ulong)settings.Seed);
        var (net, adam) = (student.Net, student.Adam);
        if (resume) Restore(checkpoint, net, adam);

        var clock = Stopwatch.StartNew();
        var startStep = Step;
        try
        {
            var batches = Prefetch.Ahead(Step, settings.Steps, step => (Images: data.BatchAt(step), Pairs: temporal?.Pairs.BatchAt(step)), cancel);
            foreach (var batch in batches)
            {
                using (Torch.NewDisposeScope())
                {
                    var input = data.ToTensor(batch.Images).To(settings.Device);
                    adam.LearningRate = LearningRates.At(settings.Schedule, settings.LearningRate, Step, settings.Steps);
                    var (loss, parts) = TrainingStep.Run(net, adam, objective, input, settings.Precision, batch.Pairs, temporal?.Weight ?? 0);
                    Losses.Add(loss);
                    Step++;
                    report(new StepReport(Step, settings.Steps, parts, (Step - startStep) / Math.Max(1e-3, clock.Elapsed.TotalSeconds)));
                }
                if (settings.CheckpointEvery > 0 && Step % settings.CheckpointEvery == 0) SaveCheckpoint(checkpoint, net, adam);
                if (settings.PreviewEvery > 0 && settings.PreviewImage != null && Step % settings.PreviewEvery == 0) Preview(net, output);
                cancel.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            SaveCheckpoint(checkpoint, net, adam);
            throw;
        }
        cancel.ThrowIfCancellationRequested();
        SaveCheckpoint(checkpoint, net, adam);
        WeightFiles.Save(output, new Weights(Info(), HostWeights(net, "")), overwrite: true);
    }

    private ModelInfo Info() => new(settings.Config, settings.Style, $"livestyle {objective.Kind}",
        new Dictionary<string, string>(settings.Recipe)
        {
            ["kind"] = objective.Kind, ["steps"] = Step.ToString(CultureInfo.InvariantCulture), ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["lr"] = settings.LearningRate.ToString("R", CultureInfo.InvariantCulture), ["lr_schedule"] = settings.Schedule.ToString().ToLowerInvariant(),
            ["precision"] = settings.Precision.ToString().ToLowerInvariant(),
        });

    private static Dictionary<string, HostTensor> HostWeights(Module net, string prefix) =>
        net.NamedParameters().ToDictionary(p => prefix + p.Name, p => Host(p.Value));

    private static HostTensor Host(Tensor t)
    {
        using var cpu = t.To(Device.Cpu, ScalarType.Float32);
        return new HostTensor(cpu.Shape, cpu.ToArray<float>());
    }

    private void SaveCheckpoint(string path, TransformNet net, Adam adam)
    {
        var tensors = HostWeights(net, ModelPrefix);
        for (var i = 0; i < adam.FirstMoments.Count; i++)
        {
            tensors[FirstMoment + i] = Host(adam.FirstMoments[i]);
            tensors[SecondMoment + i] = Host(adam.SecondMoments[i]);
        }
        SafeTensorsFile.Write(path, tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal), Info().ToMetadata());
    }

    private void Restore(string path, TransformNet net, Adam adam)
    {
        if (!File.Exists(path)) throw new TrainingException($"no checkpoint to resume at {path}");
        var contents = SafeTensorsFile.Read(path);
        var info = ModelInfo.FromMetadata(contents.Metadata, path) ?? throw new TrainingException($"{path} is not a LiveStyle checkpoint");
        if (!info.Config.Matches(settings.Config))
            throw new TrainingException($"{path} is a checkpoint of architecture '{info.Config.Name}', not '{settings.Config.Name}'");
        if (info.Training.GetValueOrDefault("kind") != objective.Kind)
            throw new TrainingException($"{path} is a {info.Training.GetValueOrDefault("kind")} checkpoint, not {objective.Kind}");
        using (Torch.NewDisposeScope())
        {
            var weights = contents.Tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => Torch.FromArray(kv.Value.Data, kv.Value.Shape).To(settings.Device));
            try { net.LoadStateDict(weights); }
            catch (StateDictException e) { throw new TrainingException($"{path}: {e.Message}"); }
            using var noGrad = Torch.NoGrad();
            for (var i = 0; i < adam.FirstMoments.Count; i++)
            {
                adam.FirstMoments[i].CopyFrom(Load(contents, FirstMoment + i, path));
                adam.SecondMoments[i].CopyFrom(Load(contents, SecondMoment + i, path));
            }
        }
        Step = long.Parse(info.Training["steps"], CultureInfo.InvariantCulture);
        adam.Step = Step;
    }

    private static Tensor Load(SafeTensorsFile.Contents contents, string key, string path) =>
        contents.Tensors.TryGetValue(key, out var t) ? Torch.FromArray(t.Data, t.Shape) : throw new TrainingException($"{path} lacks optimizer state {key}");

    private void Preview(TransformNet net, string output)
    {
        var image = ImageCodec.Read(settings.PreviewImage!);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output) + ".preview.jpg");
        ImageCodec.Write(path, StillStylizer.Stylize(image, x => net.Forward(x.To(settings.Device))));
    }
}
