using System.CommandLine;
using LiveStyle.Models.Inference;
using LiveStyle.Tensors;

namespace LiveStyle.Cli;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show full error details (stack traces)", Recursive = true };

    public static Option<string> Device() => new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

    public static Option<string> Precision() => new("--precision")
    {
        Description = "fp32, bf16 (CPU or CUDA) or fp16 (CUDA only)",
        DefaultValueFactory = _ => "fp32",
    };

    public static Option<string> Engine() => new("--engine")
    {
        Description = "auto (ONNX Runtime for fp32 on the CPU, libtorch otherwise), onnx or torch",
        DefaultValueFactory = _ => "auto",
    };

    public static Engine ParseEngine(string text) => Engines.Parse(text);

    public static Option<int> Threads() =>
        new Option<int>("--threads") { Description = $"CPU threads for inference, in libtorch and ONNX Runtime (default: all cores; at most {OptionRules.MaxThreads})" }.Within(0, OptionRules.MaxThreads);

    public static Option<float> Strength(string description) =>
        new Option<float>("--strength") { Description = description, DefaultValueFactory = _ => 1f }.Within(0f, 1f);

    /// <summary>--stabilize alone means the default strength; absent, null (off).</summary>
    public static Option<float?> Stabilize() => new("--stabilize")
    {
        Description = $"Remove flicker: blend each frame with the previous output warped along the optical flow, where the flow is reliable (strength 0..1, default {Pipeline.Transform.TemporalStabilizer.DefaultStrength} when given alone)",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return Pipeline.Transform.TemporalStabilizer.DefaultStrength;
            var text = result.Tokens[0].Value;
            if (float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1) return v;
            result.AddError($"--stabilize '{text}' is not a strength between 0 and 1");
            return null;
        },
    };

    /// <summary>--painting-size and --intensity: how a painting given as the model becomes a style.</summary>
    public sealed record PaintingOptionSet(Option<int> Size, Option<float> Intensity)
    {
        /// <summary>A command may take only --painting-size (export, bench): the intensity is then the painting's own, 1.</summary>
        public Models.Arbitrary.PaintingOptions Parse(ParseResult parse) =>
            new(parse.GetValue(Size), parse.CommandResult.Command.Options.Contains(Intensity) ? parse.GetValue(Intensity) : 1f);
    }

    public static PaintingOptionSet Painting() => new(
        new Option<int>("--painting-size")
        {
            Description = $"When the model is a painting: the size its shorter side is seen at, i.e. the brush scale (default {Models.Arbitrary.ArbitraryStyle.DefaultPaintingSize})",
            DefaultValueFactory = _ => Models.Arbitrary.ArbitraryStyle.DefaultPaintingSize,
        }.Within(32, 2048),
        new Option<float>("--intensity")
        {
            Description = "When the model is a painting: 1 paints in its style; lower moves the style towards the photo's own (Magenta's interpolation; video and live use their first frame)",
            DefaultValueFactory = _ => 1f,
        }.Within(0f, 1f));

    public static Option<int> MaxSize(string description) => new Option<int>("--max-size") { Description = description }.Within(1, 1 << 16);

    public static Option<bool> Force() => new("--force", "-f") { Description = "Replace an existing output" };

    public static Device ParseDevice(string text) => Tensors.Device.Parse(text);

    public static Precision ParsePrecision(string text) => Precisions.Parse(text);

    /// <summary>"640x480" → (640, 480); null stays null; anything else is a usage error naming the option.</summary>
    public static (int Width, int Height)? ParseSize(string? text, string option)
    {
        if (text == null) return null;
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w > 0 && h > 0)
        {
            Media.Images.PixelLimit.Check(w, h, option);
            return (w, h);
        }
        throw new CliException($"{option} '{text}' is not WxH (e.g. 640x480)");
    }

    /// <summary>For commands that run style models: the engines read it (libtorch is not loaded for an ONNX Runtime run).</summary>
    public static void ApplyThreads(int threads) => InferenceThreads.Count = threads;

    /// <summary>For commands that use libtorch themselves (training, paint, loss networks): both runtimes get it now.</summary>
    public static void ApplyTorchThreads(int threads)
    {
        InferenceThreads.Count = threads;
        Torch.Threads = InferenceThreads.Count;
    }
}
