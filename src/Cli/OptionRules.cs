using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;

namespace LiveStyle.Cli;

/// <summary>
/// Range rules for numeric options, checked while parsing (so a bad value is one line and exit 1 before
/// anything runs): values must be finite and within the range, which also keeps NaN out.
/// </summary>
public static class OptionRules
{
    public static Option<T> Within<T>(this Option<T> option, T min, T max) where T : struct, INumber<T> =>
        Rule<T, T>(option, r => r.GetValueOrDefault<T>(), v => v >= min && v <= max, $"between {min} and {max}");

    public static Option<T> AtLeast<T>(this Option<T> option, T min) where T : struct, INumber<T> =>
        Rule<T, T>(option, r => r.GetValueOrDefault<T>(), v => v >= min, $"at least {min}");

    /// <summary>An optional option: absent is fine, a given value must be in range.</summary>
    public static Option<T?> Within<T>(this Option<T?> option, T min, T max) where T : struct, INumber<T> =>
        Rule(option, r => r.GetValueOrDefault<T?>(), v => v >= min && v <= max, $"between {min} and {max}");

    private static Option<TOption> Rule<TOption, T>(Option<TOption> option, Func<OptionResult, T?> read, Func<T, bool> inRange, string range)
        where T : struct, INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit) return;
            T? value;
            // A value that does not parse ("abc", or too large for the type) throws here; it is reported as a usage error instead.
            try { value = read(result); }
            catch (InvalidOperationException)
            {
                result.AddError($"{option.Name} must be a number {range}, not '{string.Join(" ", result.Tokens.Select(t => t.Value))}'");
                return;
            }
            if (value is not { } v) return;
            if (T.IsNaN(v) || !inRange(v)) result.AddError($"{option.Name} must be {range}, not {v}");
        });
        return option;
    }

    /// <summary>Most threads a command may ask for: more than a few per core only slows inference down.</summary>
    public static int MaxThreads => Environment.ProcessorCount * 4;
}
