using System.CommandLine;
using LiveStyle.Pipeline.Parts;

namespace LiveStyle.Cli.Commands;

/// <summary>`livestyle join`: the parts of a conversion split over machines, into one video.</summary>
public static class JoinCommand
{
    public static Command Create()
    {
        var parts = new Argument<string>("parts") { Description = "The folder convert --part wrote the parts into" };
        var output = new Option<string>("--output", "-o") { Description = "The video to write (.mp4 .mkv .mov .webm)", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "The original video, if it is no longer where the parts recorded it (for its sound, subtitles and chapters)" };
        var force = CommonOptions.Force();
        var command = new Command("join", "Join the parts of a conversion (convert --part K/N) into one video without re-encoding, with the original's sound, subtitles, chapters and timing")
        {
            parts, output, input, force,
        };
        command.SetAction((parse, cancel) =>
        {
            var target = parse.GetValue(output)!;
            if (File.Exists(target) && !parse.GetValue(force)) throw new CliException($"{target} already exists (use --force to replace it)");
            var result = Terminal.WithProgress($"joining into {Path.GetFileName(target)}", 0, _ =>
                JoinJourney.Run(parse.GetValue(parts)!, target, parse.GetValue(input), parse.GetValue(force), Terminal.Notice, cancel));
            Console.WriteLine($"{target}\t{result.Parts} parts\t{result.Frames} frames");
            return Task.FromResult(0);
        });
        return command;
    }
}
