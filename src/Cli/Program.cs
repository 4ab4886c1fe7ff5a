using LiveStyle.Cli;

var parse = CommandTree.Build().Parse(args);
using var interrupt = new Interrupt();
try
{
    // System.CommandLine's own handling returns from here two seconds after Ctrl+C, work or no work; Interrupt waits for it.
    var settings = new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
    return await parse.InvokeAsync(settings, interrupt.Token);
}
catch (Exception e)
{
    return ErrorReporter.Report(e, parse.GetValue(CommonOptions.Verbose));
}
