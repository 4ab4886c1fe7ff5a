using Spectre.Console;

namespace LiveStyle.Cli;

/// <summary>Human-facing output: results on stdout, progress and notices on stderr.</summary>
public static class Terminal
{
    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>A line for the user; text from files inside it goes through the one sanitiser.</summary>
    public static void Notice(string line) => Console.Error.WriteLine($"livestyle: {Models.Formats.ModelInfo.Sanitize(line, 2000)}");

    /// <summary>Runs work with a progress bar on stderr (none when stderr is not a terminal).</summary>
    public static async Task<T> WithProgressAsync<T>(string description, double total, Func<Action<double>, Task<T>> work) =>
        await Task.Run(() => WithProgress(description, total, report => work((done) => report(done, null)).GetAwaiter().GetResult()));

    /// <summary>
    /// Synchronous form; the callback reports (done, new description or null). An unknown total
    /// (0 or less) shows an indeterminate bar.
    /// </summary>
    public static T WithProgress<T>(string description, double total, Func<Action<double, string?>, T> work)
    {
        if (Console.IsErrorRedirected) return work(PlainProgress());
        T result = default!;
        Err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                task.IsIndeterminate = total <= 0;
                result = work((done, text) =>
                {
                    task.Value = Math.Min(done, task.MaxValue);
                    if (text != null) task.Description = Markup.Escape(text);
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Prefix of the plain progress lines, so logs and scripts can tell status from the one error line.</summary>
    public const string ProgressPrefix = "livestyle: progress: ";

    /// <summary>Without a terminal (logs, CI, background jobs): the latest status as a plain line, at most every 10 seconds.</summary>
    private static Action<double, string?> PlainProgress()
    {
        var last = System.Diagnostics.Stopwatch.StartNew();
        return (_, text) =>
        {
            if (text == null || last.Elapsed < TimeSpan.FromSeconds(10)) return;
            last.Restart();
            Console.Error.WriteLine(ProgressPrefix + text);
        };
    }
}
