using System.CommandLine;
using LiveStyle.Cli.Commands;

namespace LiveStyle.Cli;

/// <summary>Every command of `livestyle`, as one tree (tests walk it to check each has --help).</summary>
public static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand("LiveStyle: real-time neural style transfer for images and video.");
        root.Options.Add(CommonOptions.Verbose);
        root.Subcommands.Add(StylizeCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(LiveCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(JoinCommand.Create());
        root.Subcommands.Add(TrainCommands.Train());
        root.Subcommands.Add(TrainCommands.Distill());
        root.Subcommands.Add(PaintCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(WebCommand.Create());
        root.SetAction((_, cancel) => DemoCommand.RunAsync(null, null, Path.Combine("out", "livestyle-demo.jpg"), cancel));
        return root;
    }

    /// <summary>Each command's words after `livestyle`, e.g. "models pull", depth first.</summary>
    public static IEnumerable<string> Paths(Command command, string prefix = "")
    {
        foreach (var sub in command.Subcommands)
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            yield return path;
            foreach (var deeper in Paths(sub, path)) yield return deeper;
        }
    }
}
