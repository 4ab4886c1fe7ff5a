using System.CommandLine;
using LiveStyle.Cli.Stylize;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Pipeline.Styles;
using LiveStyle.Train.Arbitrary;
using LiveStyle.Train.Loss;

namespace LiveStyle.Cli.Commands;

public static class StylizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Style name (see 'models list') or a model file/folder", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "An image, or a folder of images", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output image (format from its extension), or a folder", Required = true };
        var maxSize = CommonOptions.MaxSize("Shrink so the longer side is at most N pixels before stylizing");
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var engine = CommonOptions.Engine();
        var force = CommonOptions.Force();
        var painting = CommonOptions.Painting();
        var refine = new Option<int>("--refine-style")
        {
            Description = "When the model is a painting: tune its style vector to it for N steps of paint's style loss on SqueezeNet, per photo (off by default; docs/ARBITRARY.md)",
        }.Within(0, 10_000);
        var refineRate = new Option<double>("--refine-rate") { Description = "Adam's step size for --refine-style", DefaultValueFactory = _ => 0.05 }.Within(1e-6, 10);
        var command = new Command("stylize", "Stylize still images (JPEG, PNG, BMP, WebP; alpha kept); the model may be a painting (-m starry_night.jpg)")
        {
            model, input, output, maxSize, painting.Size, painting.Intensity, refine, refineRate, device, precision, engine, threads, force,
        };

        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var jobs = StylizePlan.Make(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(force));
            var name = parse.GetValue(model)!;
            var (dev, prec, eng, size) = (CommonOptions.ParseDevice(parse.GetValue(device)!), CommonOptions.ParsePrecision(parse.GetValue(precision)!),
                CommonOptions.ParseEngine(parse.GetValue(engine)!), parse.GetValue(maxSize));
            using var loader = ModelLoading.Loader(painting.Parse(parse));
            var refineSteps = parse.GetValue(refine);
            if (refineSteps > 0 && !StyleLoader.IsPainting(name)) throw new CliException("--refine-style tunes a painting's style: give a painting as the model");
            // A painting at an intensity below 1 moves towards each photo's own style, and a refined one is tuned to it: one network per photo.
            var perPhoto = StyleLoader.IsPainting(name) && (loader.Painting.Intensity < 1 || refineSteps > 0);
            using var lossNetwork = refineSteps > 0 ? await LossNetworks.OpenAsync("squeezenet", loader.Store, cancel: cancel) : null;
            using var shared = perPhoto ? null : await loader.LoadAsync(name, dev, prec, eng, cancel);
            using var sharedJourney = shared == null ? null : new StillJourney(shared, size, parse.GetValue(force));

            async Task Stylize((string Input, string Output) job)
            {
                if (sharedJourney != null)
                {
                    sharedJourney.Run(job.Input, job.Output);
                    return;
                }
                var photo = StillJourney.Read(job.Input, size);
                using var own = lossNetwork == null ? await loader.LoadAsync(name, dev, prec, eng, cancel, photo)
                    : StyleModel.FromWeights(Refine(await loader.PaintingsAsync(cancel), photo), dev, prec, engine: eng);
                using var journey = new StillJourney(own, size, parse.GetValue(force));
                journey.Write(journey.Stylize(photo), job.Output);
            }

            Models.Formats.Weights Refine(PaintingStyles paintings, Media.Images.Image photo)
            {
                var (weights, report) = PaintingRefinement.Refine(paintings, PaintingBlend.TryParse(name)!, loader.Painting, photo, lossNetwork!, refineSteps,
                    parse.GetValue(refineRate), cancel: cancel);
                Terminal.Notice($"refined in {report.Elapsed.TotalSeconds:F1} s: style loss {report.StyleBefore:G4} -> {report.StyleAfter:G4}, content loss {report.ContentBefore:G4} -> {report.ContentAfter:G4}");
                return weights;
            }

            // A folder is stylized as a folder (through the scheduler, with progress, a bad image skipped) even when it holds one image.
            if (!Directory.Exists(parse.GetValue(input)))
            {
                await Stylize(jobs[0]);
                Console.WriteLine(jobs[0].Output);
                return 0;
            }

            var failures = await Terminal.WithProgressAsync($"stylizing {jobs.Count} images", jobs.Count, async report =>
            {
                var failed = new List<string>();
                if (sharedJourney != null)
                {
                    var finished = 0;
                    sharedJourney.RunAll(jobs, (job, e) =>
                    {
                        if (e != null) failed.Add($"{job.Input}: {ErrorReporter.OneLine(e)}");
                        report(++finished);
                    }, cancel);
                    return failed;
                }
                for (var i = 0; i < jobs.Count; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    try { await Stylize(jobs[i]); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failed.Add($"{jobs[i].Input}: {ErrorReporter.OneLine(e)}");
                    }
                    report(i + 1);
                }
                return failed;
            });
            foreach (var f in failures) Terminal.Notice($"skipped {f}");
            Console.WriteLine($"{jobs.Count - failures.Count} of {jobs.Count} images stylized into {parse.GetValue(output)}");
            return failures.Count == 0 ? 0 : ErrorReporter.Failure;
        });
        return command;
    }
}
