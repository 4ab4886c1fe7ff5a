using LiveStyle.Cli;

var parse = CommandTree.Build().Parse(args);
try
{
    return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReporter.Report(e, parse.GetValue(CommonOptions.Verbose));
}
