using System.CommandLine;
using System.Numerics;

namespace LiveStyle.Cli;

/// <summary>
/// Range rules for numeric options, checked while parsing (so a bad value is one line and exit 1 before
/// anything runs): values must be finite and within the range, which also keeps NaN out.
/// </summary>
public static class OptionRules
{
    public static Option<T> Within<T>(this Option<T> option, T min, T max) where T : struct, INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit) return;
            var value = result.GetValueOrDefault<T>();
            if (T.IsNaN(value) || value < min || value > max)
                result.AddError($"{option.Name} must be between {min} and {max}, not {value}");
        });
        return option;
    }

    public static Option<T> AtLeast<T>(this Option<T> option, T min) where T : struct, INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit) return;
            var value = result.GetValueOrDefault<T>();
            if (T.IsNaN(value) || value < min) result.AddError($"{option.Name} must be at least {min}, not {value}");
        });
        return option;
    }

    public static Option<T?> Within<T>(this Option<T?> option, T min, T max) where T : struct, INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit || result.GetValueOrDefault<T?>() is not { } value) return;
            if (T.IsNaN(value) || value < min || value > max)
                result.AddError($"{option.Name} must be between {min} and {max}, not {value}");
        });
        return option;
    }

    /// <summary>Most threads a command may ask for: more than a few per core only slows inference down.</summary>
    public static int MaxThreads => Environment.ProcessorCount * 4;
}
