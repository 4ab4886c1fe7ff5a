using System.CommandLine;
using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Tensors;
using LiveStyle.Train.Data;
using LiveStyle.Train.Loop;
using LiveStyle.Train.Loss;

namespace LiveStyle.Cli.Commands;

/// <summary>`train` (a new style from a painting) and `distill` (a small, fast student of any model).</summary>
public static class TrainCommands
{
    private sealed record Common(Option<string> Data, Option<string> Output, Option<int> Crop, Option<int> Batch, Option<double> Lr, Option<int> Epochs,
        Option<long> Steps, Option<int> Seed, Option<string> Checkpoint, Option<int> CheckpointEvery, Option<bool> Resume, Option<string> Preview,
        Option<int> PreviewEvery, Option<int> MaxScale, Option<LearningRateSchedule> Schedule, Option<string> Precision, Option<string> TemporalData,
        Option<double> TemporalWeight, Option<string> Device, Option<int> Threads, Option<bool> Force)
    {
        public static Common Create(int maxScale, string maxScaleWhy, LearningRateSchedule schedule) => new(
            new Option<string>("--data") { Description = "Folder of training images (searched recursively)", Required = true },
            new Option<string>("--output", "-o") { Description = "The .safetensors model to write", Required = true },
            new Option<int>("--crop") { Description = "Training crop size", DefaultValueFactory = _ => 256 }.Within(16, 4096),
            new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => 4 }.Within(1, 1024),
            new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 }.Within(1e-12, 10),
            new Option<int>("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 2 }.Within(1, 1_000_000),
            new Option<long>("--steps") { Description = "Total steps (overrides --epochs)" }.AtLeast(1),
            new Option<int>("--seed") { Description = "Seed for initialisation, data order and augmentation", DefaultValueFactory = _ => 42 },
            new Option<string>("--checkpoint") { Description = "Checkpoint file (default: <output>.ckpt.safetensors)" },
            new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints", DefaultValueFactory = _ => 200 }.AtLeast(1),
            new Option<bool>("--resume") { Description = "Continue from the checkpoint exactly where it stopped" },
            new Option<string>("--preview") { Description = "Content image stylized into <output>.preview.jpg every --preview-every steps" },
            new Option<int>("--preview-every") { Description = "Steps between previews", DefaultValueFactory = _ => 100 }.AtLeast(1),
            new Option<int>("--max-scale")
            {
                Description = $"Before cropping, each image's shorter side is scaled to a random length between 1.15x the crop and this ({maxScaleWhy})",
                DefaultValueFactory = _ => maxScale,
            }.Within(0, 1 << 14),
            new Option<LearningRateSchedule>("--lr-schedule")
            {
                Description = "constant, or cosine (decays to 1% of --lr by the last step)",
                DefaultValueFactory = _ => schedule,
            },
            new Option<string>("--precision")
            {
                Description = "fp32, or bf16 mixed precision (bf16 activations, float32 weights and losses; CPUs with AVX512-BF16/AMX, CUDA on Ampere or newer)",
                DefaultValueFactory = _ => "fp32",
            },
            new Option<string>("--temporal-data")
            {
                Description = "A video or folder of videos: each step also learns from pairs of consecutive frames (half the batch) that the output follows the motion instead of flickering",
            },
            new Option<double>("--temporal-weight")
            {
                Description = "Weight of that temporal term (ReCoNet's output consistency under optical flow, in 0..255 units like the pixel loss)",
                DefaultValueFactory = _ => TemporalTerm.DefaultWeight,
            }.Within(0, 1e30),
            CommonOptions.Device(), CommonOptions.Threads(), CommonOptions.Force());

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Data, Output, Crop, Batch, Lr, Epochs, Steps, Seed, Checkpoint, CheckpointEvery, Resume, Preview, PreviewEvery, MaxScale, Schedule, Precision,
                         TemporalData, TemporalWeight, Device, Threads, Force })
                c.Options.Add(o);
        }
    }

    public static Command Train()
    {
        var common = Common.Create(0, "0: always 1.15x, the published recipe", LearningRateSchedule.Constant);
        var style = new Option<string>("--style") { Description = "The painting whose style to learn", Required = true };
        var lossNet = LossNetOption("vgg16");
        var arch = new Option<string>("--arch") { Description = "full, slim or mobile", DefaultValueFactory = _ => "full" };
        var styleSize = new Option<int>("--style-size") { Description = "Longer side of the style image for its Gram matrices (0: as it is)", DefaultValueFactory = _ => 512 }.Within(0, 1 << 14);
        var layers = PerceptualOptions.Create("the loss network's feed-forward recipe (VGG-16: Johnson et al.'s relu2_2 / relu1_2..relu4_3, 1e5, 1e10, 0)");
        var command = new Command("train", "Train a new style (Johnson et al. 2016 with instance normalisation) on a folder of photos")
        {
            style, lossNet, arch, styleSize,
        };
        layers.AddTo(command);
        common.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var config = TrainablePreset(parse.GetValue(arch)!);
            var (device, precision) = Prepare(parse, common);
            var styleImage = ImageCodec.Read(parse.GetValue(style)!);
            var (w, h) = styleImage.FitWithin(parse.GetValue(styleSize));
            var loss = await OpenLossNetworkAsync(parse.GetValue(lossNet)!, cancel);
            StyleObjective objective;
            PerceptualRecipe recipe;
            try
            {
                recipe = layers.Read(parse, loss, loss.FeedForward);
                loss.To(device, precision.ScalarType());
                using var styleTensor = ImageTensors.ToTensor(styleImage.Resize(w, h)).DetachFromScope();
                using var moved = styleTensor.To(device);
                objective = new StyleObjective(loss, recipe, moved);
            }
            catch
            {
                loss.Dispose();
                throw;
            }
            var described = new Dictionary<string, string>(recipe.Describe()) { ["style_image"] = Path.GetFileName(parse.GetValue(style)!), ["loss_network"] = loss.Name };
            return Run(parse, common, config, Path.GetFileNameWithoutExtension(parse.GetValue(style)!), objective, device, precision, described, cancel);
        });
        return command;
    }

    /// <summary>--loss-net (alias --vgg, its name before SqueezeNet came): a network name or a weights file.</summary>
    private static Option<string> LossNetOption(string? defaultName) => new("--loss-net", "--vgg")
    {
        Description = $"Loss network: {string.Join(", ", LossNetworks.Names)} (vgg* after `models pull-vgg`), or a weights file (.onnx SqueezeNet, .pth/.safetensors VGG)",
        DefaultValueFactory = defaultName == null ? null! : _ => defaultName,
    };

    internal static async Task<ILossNetwork> OpenLossNetworkAsync(string nameOrPath, CancellationToken cancel)
    {
        var store = Models.Store.ModelStore.FromEnvironment();
        return await Terminal.WithProgressAsync($"fetching {nameOrPath}", 0, report => LossNetworks.OpenAsync(nameOrPath, store,
            new Progress<(long Done, long Total)>(p => report(p.Total > 0 ? 100.0 * p.Done / p.Total : 0)), cancel));
    }

    public static Command Distill()
    {
        // Style networks paint strokes of a fixed size in pixels, so the student learns at the scale it will run at (live 640x480).
        var common = Common.Create(480, "480: the scale of live 640x480 frames", LearningRateSchedule.Cosine);
        var teacher = new Option<string>("--teacher") { Description = "The model to imitate (style name or path)", Required = true };
        var arch = new Option<string>("--arch") { Description = "Student architecture: slim or mobile", DefaultValueFactory = _ => "mobile" };
        var featureWeight = new Option<double>("--feature-weight")
        {
            Description = "Weight of the optional feature-matching term (the loss network's content layer, e.g. VGG relu2_2, of student vs teacher output; needs --loss-net; 0 = pixel loss only)",
        }.Within(0, 1e30);
        var vgg = LossNetOption(null);
        var command = new Command("distill", "Train a small student network to reproduce a model's output (no VGG needed)") { teacher, arch, featureWeight, vgg };
        common.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var config = TrainablePreset(parse.GetValue(arch)!);
            var weight = parse.GetValue(featureWeight);
            if (weight < 0 || (weight > 0) != (parse.GetValue(vgg) != null))
                throw new CliException("--feature-weight (above 0) and --loss-net (or --vgg) go together: the feature term compares the loss network's activations");
            var (device, precision) = Prepare(parse, common);
            var loss = weight > 0 ? await OpenLossNetworkAsync(parse.GetValue(vgg)!, cancel) : null;
            StyleModel model;
            try
            {
                loss?.To(device, precision.ScalarType());
                model = await ModelLoading.LoadAsync(parse.GetValue(teacher)!, device, precision, cancel);
            }
            catch
            {
                loss?.Dispose();
                throw;
            }
            var recipe = new Dictionary<string, string> { ["teacher"] = model.Style, ["teacher_architecture"] = model.Architecture };
            if (weight > 0) (recipe["feature_weight"], recipe["loss_network"]) = (Invariant(weight), loss!.Name);
            return Run(parse, common, config, model.Style, new DistillObjective(model, loss, weight, loss?.FeedForward.Content.Names[0] ?? ""), device, precision, recipe, cancel);
        });
        return command;
    }

    private static (Device Device, Precision Precision) Prepare(System.CommandLine.ParseResult parse, Common common)
    {
        CommonOptions.ApplyTorchThreads(parse.GetValue(common.Threads));
        TrainingRun.CheckOutputs(parse.GetValue(common.Output)!, CheckpointPath(parse, common), parse.GetValue(common.Resume), parse.GetValue(common.Force));
        var device = CommonOptions.ParseDevice(parse.GetValue(common.Device)!);
        Torch.EnsureAvailable(device);
        return (device, TrainingStep.ParsePrecision(parse.GetValue(common.Precision)!));
    }

    private static int Run(System.CommandLine.ParseResult parse, Common common, TransformNetConfig config, string style, IObjective objective, Device device,
        Precision precision, Dictionary<string, string> recipe, CancellationToken cancel)
    {
        using var _ = objective;
        var data = new TrainingImages(parse.GetValue(common.Data)!, parse.GetValue(common.Crop), parse.GetValue(common.Batch), parse.GetValue(common.Seed),
            parse.GetValue(common.MaxScale));
        var temporal = Temporal(parse, common, data, cancel);
        var steps = parse.GetValue(common.Steps) is > 0 and var s ? s : (long)data.BatchesPerEpoch * parse.GetValue(common.Epochs);
        TemporalTerm.Describe(recipe, data, temporal);
        var settings = new TrainingSettings(config, style, steps, parse.GetValue(common.Lr), parse.GetValue(common.Seed), parse.GetValue(common.CheckpointEvery),
            parse.GetValue(common.PreviewEvery), parse.GetValue(common.Preview), device, recipe, parse.GetValue(common.Schedule), precision);
        var run = new TrainingRun(settings, objective, data, temporal);
        var output = parse.GetValue(common.Output)!;
        Terminal.WithProgress($"{objective.Kind} {config.Name}", steps, report =>
        {
            run.Run(output, CheckpointPath(parse, common), parse.GetValue(common.Resume), r =>
            {
                var eta = r.StepsPerSecond > 0 ? TimeSpan.FromSeconds((r.Steps - r.Step) / r.StepsPerSecond) : TimeSpan.Zero;
                report(r.Step, $"step {r.Step}/{r.Steps} " + string.Join(" ", r.Parts.Select(p => $"{p.Name} {p.Value:G4}")) + $" {r.StepsPerSecond:F2} it/s ETA {eta:hh\\:mm\\:ss}");
            }, cancel);
            return 0;
        });
        if (data.Skipped > 0) Terminal.Notice($"{data.Skipped} unreadable image(s) skipped");
        Console.WriteLine($"{output}\t{config.Name}\t{run.Step} steps\tloss {run.Losses.FirstOrDefault():G4} -> {run.Losses.LastOrDefault():G4}");
        return 0;
    }

    /// <summary>The temporal term when --temporal-data names clips.</summary>
    private static TemporalTerm? Temporal(System.CommandLine.ParseResult parse, Common common, TrainingImages data, CancellationToken cancel)
    {
        var clips = parse.GetValue(common.TemporalData);
        var weight = parse.GetValue(common.TemporalWeight);
        if (clips == null)
        {
            if (parse.GetResult(common.TemporalWeight) is { Implicit: false }) throw new CliException("--temporal-weight needs --temporal-data: the videos whose consecutive frames the term compares");
            return null;
        }
        if (weight <= 0) throw new CliException("--temporal-weight must be above 0 with --temporal-data (leave out --temporal-data to train without the term)");
        return Terminal.WithProgress($"decoding {Path.GetFileName(clips)}", 0, _ => TemporalTerm.Open(clips, weight, data, cancel));
    }

    private static string CheckpointPath(System.CommandLine.ParseResult parse, Common common) =>
        parse.GetValue(common.Checkpoint) ?? Path.ChangeExtension(parse.GetValue(common.Output)!, ".ckpt.safetensors");

    private static TransformNetConfig TrainablePreset(string name)
    {
        var config = TransformNetConfig.Preset(name);
        if (config.Name == "fst") throw new CliException("train full, slim or mobile networks (fst is the ml5 inference layout)");
        return config;
    }

    private static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
}
