using System.CommandLine;
using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Train.Loss;
using LiveStyle.Train.Paint;

namespace LiveStyle.Cli.Commands;

/// <summary>`paint`: the optimisation-based method (Gatys et al. 2016) for the best single picture.</summary>
public static class PaintCommand
{
    public static Command Create()
    {
        var content = new Option<string>("--content", "-c") { Description = "The photo to paint", Required = true };
        var style = new Option<string>("--style", "-s") { Description = "The painting, or several separated by commas (blended)", Required = true };
        var blend = new Option<string>("--style-blend") { Description = "Weights of the paintings, e.g. 3,1 (default: equal)" };
        var output = new Option<string>("--output", "-o") { Description = "The image to write (format from its extension)", Required = true };
        var size = new Option<int>("--size") { Description = "Longer side of the result in pixels", DefaultValueFactory = _ => 384 }.Within(16, 16384);
        var scales = new Option<int?>("--scales") { Description = "Coarse-to-fine scales, each twice the last (default: enough that the first is at most 512)" }.Within(1, 8);
        var iterations = new Option<int>("--iterations", "-n") { Description = "Iterations at the first scale", DefaultValueFactory = _ => 150 }.Within(1, 1_000_000);
        var refine = new Option<int>("--refine-iterations") { Description = "Iterations at each finer scale", DefaultValueFactory = _ => 50 }.Within(1, 1_000_000);
        var optimizer = new Option<PaintOptimizer>("--optimizer") { Description = "lbfgs (torch.optim.LBFGS's algorithm) or adam", DefaultValueFactory = _ => PaintOptimizer.Lbfgs };
        var lr = new Option<double?>("--lr") { Description = "Step size: L-BFGS's lr (default 1) or Adam's, in pixel levels (default 10)" }.Within(1e-9, 1e6);
        var history = new Option<int?>("--history") { Description = "L-BFGS history (default: up to torch's 100, fewer for large images: about 512 MiB)" }.Within(1, 1000);
        var lineSearch = new Option<bool>("--line-search") { Description = "Strong-Wolfe line search for L-BFGS (more evaluations per iteration, steadier progress)" };
        var init = new Option<string>("--init") { Description = "Start from: content (the photo), noise (white noise, the paper's), or an image path", DefaultValueFactory = _ => "content" };
        var seed = new Option<int>("--seed") { Description = "Seed for the noise start", DefaultValueFactory = _ => 0 };
        var lossNet = new Option<string>("--loss-net") { Description = $"{string.Join(", ", LossNetworks.Names)} (vgg* after `models pull-vgg`), or a weights file", DefaultValueFactory = _ => "squeezenet" };
        var pooling = new Option<string>("--pooling") { Description = "max, or avg (Gatys et al.'s choice: smoother gradients)", DefaultValueFactory = _ => "max" };
        var styleScale = new Option<double>("--style-scale") { Description = "Size of the paintings relative to the result (bigger: bigger strokes)", DefaultValueFactory = _ => 1 }.Within(0.05, 8);
        var colors = new Option<ColorMode>("--preserve-colors") { Description = "none, luminance (transfer luminance only) or histogram (recolour the paintings to the photo)", DefaultValueFactory = _ => ColorMode.None };
        var previewEvery = new Option<int>("--preview-every") { Description = "Write <output>.preview.jpg every N iterations (0: never)", DefaultValueFactory = _ => 0 }.Within(0, 1_000_000);
        var log = new Option<string>("--log") { Description = "CSV of every evaluation: scale, iteration, evaluation, total, content, style, tv" };
        var layers = PerceptualOptions.Create("the loss network's paint recipe, see docs/PAINT.md");
        var device = CommonOptions.Device();
        var precision = new Option<string>("--precision") { Description = "fp32, or bf16 for the loss network (the image and losses stay float32)", DefaultValueFactory = _ => "fp32" };
        var threads = CommonOptions.Threads();
        var force = CommonOptions.Force();
        var command = new Command("paint", "Paint a photo in the style of paintings by optimising its pixels (Gatys et al. 2016): slow, the best single picture")
        {
            content, style, blend, output, size, scales, iterations, refine, optimizer, lr, history, lineSearch, init, seed, lossNet, pooling, styleScale, colors,
            previewEvery, log, device, precision, threads, force,
        };
        layers.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyTorchThreads(parse.GetValue(threads));
            var target = parse.GetValue(output)!;
            if (!ImageCodec.IsImagePath(target)) throw new CliException($"{target}: unknown image format (use {string.Join(", ", ImageCodec.Extensions)})");
            if (File.Exists(target) && !parse.GetValue(force)) throw new CliException($"{target} already exists (use --force to replace it)");
            if (parse.GetValue(log) is { } existingLog && File.Exists(existingLog) && !parse.GetValue(force))
                throw new CliException($"{existingLog} already exists (use --force to replace it)");
            if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } folder && !Directory.Exists(folder)) throw new CliException($"output folder {folder} does not exist");
            var photo = ImageCodec.Read(parse.GetValue(content)!);
            var paintings = Paintings(parse.GetValue(style)!, parse.GetValue(blend));
            var (startKind, startImage) = Start(parse.GetValue(init)!);
            var dev = CommonOptions.ParseDevice(parse.GetValue(device)!);
            Tensors.Torch.EnsureAvailable(dev);
            var dtype = Train.Loop.TrainingStep.ParsePrecision(parse.GetValue(precision)!);
            var pool = parse.GetValue(pooling) switch
            {
                "max" => Pooling.Max, "avg" or "average" => Pooling.Average,
                var other => throw new CliException($"--pooling: '{other}' is not max or avg"),
            };

            using var network = await TrainCommands.OpenLossNetworkAsync(parse.GetValue(lossNet)!, cancel);
            network.Pooling = pool;
            var recipe = layers.Read(parse, network, network.Paint);
            var longer = parse.GetValue(size);
            var (w, h) = Painter.Scaled(photo, longer);
            var opt = parse.GetValue(optimizer);
            var settings = new PaintSettings(recipe, longer, parse.GetValue(scales) ?? PaintSettings.AutomaticScales(longer), parse.GetValue(iterations),
                parse.GetValue(refine), opt, parse.GetValue(lr) ?? (opt == PaintOptimizer.Lbfgs ? 1 : 10),
                parse.GetValue(history) ?? PaintSettings.AutomaticHistory((long)w * h), parse.GetValue(lineSearch), startKind, parse.GetValue(seed),
                parse.GetValue(styleScale), parse.GetValue(colors), dev, Models.Inference.Precisions.ScalarType(dtype), parse.GetValue(previewEvery));

            // The log is written beside its final name and takes it only with the picture: a failed run replaces nothing.
            using var logFile = parse.GetValue(log) is { } logPath ? Files.AtomicFile.Reserve(logPath, overwrite: parse.GetValue(force)) : null;
            using var logWriter = logFile != null ? new StreamWriter(logFile.TemporaryPath) { AutoFlush = true } : null;
            logWriter?.WriteLine("scale,width,height,iteration,evaluation,total,content,style,tv");
            var previewPath = Path.ChangeExtension(target, ".preview.jpg");
            var total = settings.Iterations + (settings.Scales - 1) * settings.RefineIterations;
            var result = Terminal.WithProgress($"painting {w}x{h}", total, report => new Painter(network, settings).Paint(photo, paintings, startImage, r =>
            {
                logWriter?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Scale},{r.Width},{r.Height},{r.Iteration},{r.Evaluation},{r.Total:R},{r.Content:R},{r.Style:R},{r.Tv:R}"));
                var done = (r.Scale == 0 ? 0 : settings.Iterations + (r.Scale - 1) * settings.RefineIterations) + r.Iteration;
                var eta = r.IterationsPerSecond > 0 ? TimeSpan.FromSeconds((total - done) / r.IterationsPerSecond) : TimeSpan.Zero;
                report(done, $"scale {r.Scale + 1}/{r.Scales} {r.Width}x{r.Height} it {r.Iteration}/{r.Iterations} content {r.Content:G4} style {r.Style:G4} tv {r.Tv:G4} " +
                             $"{r.IterationsPerSecond:F2} it/s ETA {eta:hh\\:mm\\:ss}");
            }, image => ImageCodec.Write(previewPath, image), cancel));

            ImageCodec.Write(target, result.Image, overwrite: parse.GetValue(force));
            logWriter?.Dispose();
            logFile?.Publish();
            if (!result.Completed)
            {
                Terminal.Notice($"stopped early: the image so far is in {target}");
                throw new OperationCanceledException();
            }
            Console.WriteLine($"{target}\t{result.Iterations} iterations\t{result.IterationsPerSecond:F2} it/s");
            return 0;
        });
        return command;
    }

    private static List<(Image Image, double Weight)> Paintings(string styles, string? blend)
    {
        var paths = styles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0) throw new CliException("--style: name at least one painting");
        var weights = blend == null ? paths.Select(_ => 1.0).ToArray()
            : blend.Split(',', StringSplitOptions.TrimEntries).Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
                ? v : throw new CliException($"--style-blend: '{t}' is not a positive number")).ToArray();
        if (weights.Length != paths.Length) throw new CliException($"--style-blend has {weights.Length} weights for {paths.Length} paintings");
        return paths.Select((p, i) => (ImageCodec.Read(p), weights[i])).ToList();
    }

    private static (PaintStart Kind, Image? Image) Start(string init) => init switch
    {
        "content" => (PaintStart.Content, null),
        "noise" => (PaintStart.Noise, null),
        _ when File.Exists(init) => (PaintStart.Image, ImageCodec.Read(init)),
        _ => throw new CliException($"--init: '{init}' is not content, noise or an image file"),
    };
}
