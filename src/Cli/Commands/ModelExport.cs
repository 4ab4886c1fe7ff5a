using System.CommandLine;
using LiveStyle.Files;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Onnx;
using LiveStyle.Models.Store;

namespace LiveStyle.Cli.Commands;

/// <summary>`models export`: any model LiveStyle can load as a standard ONNX file (RGB 0..255, NCHW, dynamic size).</summary>
public static class ModelExport
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Style name or model file/folder (ml5, .pth, .safetensors, .onnx of a known layout)", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The .onnx file to write", Required = true };
        var force = CommonOptions.Force();
        var painting = CommonOptions.Painting();
        var command = new Command("export", "Write a model (or a painting as a style) as a standard ONNX file (opset 17; input and output float RGB 0..255, [N, 3, H, W], any size)")
        {
            model, output, painting.Size, force,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var target = parse.GetValue(output)!;
            if (!target.EndsWith(OnnxModelFile.Extension, StringComparison.OrdinalIgnoreCase)) throw new CliException($"{target}: the output must end in {OnnxModelFile.Extension}");
            if (File.Exists(target) && !parse.GetValue(force)) throw new CliException($"{target} already exists (use --force to replace it)");
            using var loader = ModelLoading.Loader(painting.Parse(parse));
            var weights = await loader.WeightsAsync(parse.GetValue(model)!, cancel);
            weights = weights with { Info = weights.Info with { Licence = loader.LicenceOf(parse.GetValue(model)!, weights.Info.Licence) } };
            using var net = weights.ToNetwork();
            var bytes = OnnxExport.ToBytes(net, weights.Info);
            // What is written must load: ONNX Runtime checks the graph before the file takes its name.
            using (OnnxNetwork.Create(bytes, 1, target)) { }
            AtomicFile.WriteAllBytes(target, bytes, overwrite: parse.GetValue(force));
            Console.WriteLine($"{target}\t{weights.Info.Config.Name}\t{weights.Info.Style}");
            return 0;
        });
        return command;
    }
}
