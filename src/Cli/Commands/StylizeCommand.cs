using System.CommandLine;
using LiveStyle.Cli.Stylize;
using LiveStyle.Pipeline.Journeys;

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
        var command = new Command("stylize", "Stylize still images (JPEG, PNG, BMP, WebP; alpha kept)")
        {
            model, input, output, maxSize, device, precision, engine, threads, force,
        };

        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var jobs = StylizePlan.Make(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(force));
            using var styleModel = await ModelLoading.LoadAsync(parse.GetValue(model)!,
                CommonOptions.ParseDevice(parse.GetValue(device)!), CommonOptions.ParsePrecision(parse.GetValue(precision)!), cancel,
                CommonOptions.ParseEngine(parse.GetValue(engine)!));
            using var stylizer = new StillJourney(styleModel, parse.GetValue(maxSize), parse.GetValue(force));

            if (jobs.Count == 1)
            {
                stylizer.Run(jobs[0].Input, jobs[0].Output);
                Console.WriteLine(jobs[0].Output);
                return 0;
            }

            var failures = await Terminal.WithProgressAsync($"stylizing {jobs.Count} images", jobs.Count, report =>
            {
                var failed = new List<string>();
                for (var i = 0; i < jobs.Count; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    try { stylizer.Run(jobs[i].Input, jobs[i].Output); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failed.Add($"{jobs[i].Input}: {ErrorReporter.OneLine(e)}");
                    }
                    report(i + 1);
                }
                return Task.FromResult(failed);
            });
            foreach (var f in failures) Terminal.Notice($"skipped {f}");
            Console.WriteLine($"{jobs.Count - failures.Count} of {jobs.Count} images stylized into {parse.GetValue(output)}");
            return failures.Count == 0 ? 0 : ErrorReporter.Failure;
        });
        return command;
    }
}
