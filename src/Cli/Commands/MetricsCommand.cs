using System.CommandLine;
using System.Globalization;
using System.Text;
using LiveStyle.Files;
using LiveStyle.Pipeline.Measure;

namespace LiveStyle.Cli.Commands;

public static class MetricsCommand
{
    public static Command Create() => new("metrics", "Measure stylized results") { Flicker(), MetricsStyle.Create() };

    private static Command Flicker()
    {
        var input = new Option<string>("--input", "-i") { Description = "The original video", Required = true };
        var styled = new Option<string>("--styled", "-s") { Description = "The stylized video made from it (same frames)", Required = true };
        var csv = new Option<string>("--csv") { Description = "Also write the error of every frame pair to this CSV file" };
        var force = CommonOptions.Force();
        var command = new Command("flicker",
            "Warping error (Lai et al. 2018) of a stylized video: mean squared difference, in 0..1 pixels, between each stylized frame and the next one " +
            "warped back along the original's optical flow, over pixels visible in both; lower is steadier")
        {
            input, styled, csv, force,
        };
        command.SetAction((parse, cancel) =>
        {
            var from = parse.GetValue(input)!;
            if (parse.GetValue(csv) is { } existing && File.Exists(existing) && !parse.GetValue(force))
                throw new CliException($"{existing} already exists (use --force to replace it)");
            var report = Terminal.WithProgress($"{Path.GetFileName(from)}", 0, progress =>
                FlickerMeasurement.Run(from, parse.GetValue(styled)!,
                    (done, total) => progress(total is > 0 ? 100.0 * done / total.Value : 0, $"{Path.GetFileName(from)}: {done}/{total?.ToString() ?? "?"} frames"),
                    cancel));
            if (parse.GetValue(csv) is { } path) WriteCsv(path, report, parse.GetValue(force));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warping error {report.Mean:F6}\t{report.Pairs.Count} frame pairs\t{report.Width}x{report.Height}\tflow: {report.Flow}"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static void WriteCsv(string path, FlickerReport report, bool overwrite)
    {
        var text = new StringBuilder("frame,warping_error,visible_share\n");
        foreach (var p in report.Pairs) text.Append(CultureInfo.InvariantCulture, $"{p.Frame},{p.Error:G6},{p.Visible:F4}\n");
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString()), overwrite);
    }
}
