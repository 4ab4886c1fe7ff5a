using System.CommandLine;
using LiveStyle.Cli;
using LiveStyle.Cli.Commands;

var root = new RootCommand("LiveStyle: real-time neural style transfer for images and video.");
root.Options.Add(CommonOptions.Verbose);
root.Subcommands.Add(StylizeCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(LiveCommand.Create());
root.Subcommands.Add(DevicesCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(TrainCommands.Train());
root.Subcommands.Add(TrainCommands.Distill());
root.Subcommands.Add(PaintCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(MetricsCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.SetAction((_, cancel) => DemoCommand.RunAsync(null, null, Path.Combine("out", "livestyle-demo.jpg"), cancel));

var parse = root.Parse(args);
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReporter.Report(e, parse.GetValue(CommonOptions.Verbose));
}
