using System.CommandLine;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Store;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Tensors;

namespace LiveStyle.Cli.Commands;

/// <summary>What `livestyle` with no arguments does: pull the default style and stylize a sample, so a newcomer sees a result.</summary>
public static class DemoCommand
{
    public const string SharedVariable = "LIVESTYLE_SHARED";

    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Style to show (default: the catalog's default style)" };
        var input = new Option<string>("--input", "-i") { Description = $"Image to stylize (default: a sample photo from ${SharedVariable}, else a drawn scene)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the result", DefaultValueFactory = _ => Path.Combine("out", "livestyle-demo.jpg") };
        var command = new Command("demo", "Pull the default style and stylize a sample image (what `livestyle` alone runs)") { model, input, output };
        command.SetAction((parse, cancel) => RunAsync(parse.GetValue(model), parse.GetValue(input), parse.GetValue(output)!, cancel));
        return command;
    }

    public static async Task<int> RunAsync(string? model, string? input, string output, CancellationToken cancel)
    {
        var store = ModelStore.FromEnvironment();
        var style = model ?? store.Catalog.Default;
        input ??= SamplePhoto();
        var source = input != null ? ImageCodec.Read(input) : SampleScene.Draw();
        var (w, h) = source.FitWithin(640);
        source = source.Resize(w, h);

        using var styleModel = await ModelLoading.LoadAsync(style, Device.Cpu, Precision.Fp32, cancel);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        using var journey = new StillJourney(styleModel);
        ImageCodec.Write(output, journey.Stylize(source));
        Console.WriteLine($"stylized {input ?? "a drawn sample scene"} with '{style}' -> {output}");
        Console.WriteLine("next: livestyle stylize -m <style> -i <image|folder> -o <file|folder>   (styles: livestyle models list)");
        return 0;
    }

    private static string? SamplePhoto()
    {
        var shared = Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } s ? s : Path.Combine("..", "shared");
        var photo = Path.Combine(shared, "images", "content", "tubingen.jpg");
        return File.Exists(photo) ? photo : null;
    }
}
