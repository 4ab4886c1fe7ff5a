using Spectre.Console;

namespace LiveStyle.Cli;

/// <summary>Human-facing output: results on stdout, progress and notices on stderr.</summary>
public static class Terminal
{
    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void Notice(string line) => Console.Error.WriteLine($"livestyle: {line}");

    /// <summary>Runs work with a progress bar on stderr (plain when stderr is not a terminal).</summary>
    public static async Task<T> WithProgressAsync<T>(string description, double total, Func<Action<double>, Task<T>> work)
    {
        if (Console.IsErrorRedirected) return await work(_ => { });
        T result = default!;
        await Err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                result = await work(v => task.Value = v);
                task.Value = task.MaxValue;
            });
        return result;
    }
}
