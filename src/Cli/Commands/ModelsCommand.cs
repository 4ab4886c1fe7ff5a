using System.CommandLine;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Store;
using LiveStyle.Pipeline.Measure;
using LiveStyle.Pipeline.Styles;
using Spectre.Console;

namespace LiveStyle.Cli.Commands;

public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Pull, list, import and inspect style models");
        command.Subcommands.Add(Pull());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Info());
        command.Subcommands.Add(PullVgg());
        command.Subcommands.Add(Compare());
        command.Subcommands.Add(ModelExport.Create());
        command.Subcommands.Add(ModelClassify.Create());
        return command;
    }

    private static Command Pull()
    {
        var names = new Argument<string[]>("names") { Description = "Styles to fetch (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("pull", $"Download styles into the cache, each file checked against its pinned SHA-256 (mirror: ${ModelStore.MirrorVariable})") { names };
        command.SetAction(async (parse, cancel) =>
        {
            var store = ModelStore.FromEnvironment();
            var wanted = parse.GetValue(names) is { Length: > 0 } n ? n : store.Catalog.Names.ToArray();
            foreach (var name in wanted)
                if (!store.Catalog.Contains(name)) throw new CliException($"unknown style '{name}': pullable styles are {string.Join(", ", store.Catalog.Names)}");
            foreach (var name in wanted)
            {
                var style = store.Catalog.Require(name);
                var total = style.Files.Values.Sum(f => f.Size ?? 0);
                await Terminal.WithProgressAsync($"pulling {name}", total, async report =>
                {
                    await store.PullAsync(name, new Progress<(long Done, long Total)>(p => report(p.Done)), cancel);
                    return 0;
                });
                Console.WriteLine($"{name}\t{store.PathOf(name)}\tlicence: {style.Collection.Licence}");
            }
            return 0;
        });
        return command;
    }

    private static Command PullVgg()
    {
        var which = new Argument<string>("network") { Description = "vgg16 (the training loss network) or vgg19", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "vgg16" };
        var url = new Option<string>("--url") { Description = "Download from this URL instead of download.pytorch.org (the file name must keep its hash suffix)" };
        var command = new Command("pull-vgg", "Download torchvision's ImageNet VGG weights for `train`, checked against the hash in their name") { which, url };
        command.SetAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(which)!;
            var source = parse.GetValue(url) ?? (VggDownload.Official.TryGetValue(name, out var official) ? official : throw new CliException($"unknown network '{name}': use vgg16 or vgg19"));
            var folder = VggDownload.DefaultFolder(ModelStore.FromEnvironment());
            var path = await Terminal.WithProgressAsync($"downloading {Path.GetFileName(source)}", 0, report =>
                VggDownload.PullAsync(source, folder, new Progress<(long Done, long Total)>(p => report(p.Total > 0 ? 100.0 * p.Done / p.Total : 0)), cancel));
            Console.WriteLine(path);
            return 0;
        });
        return command;
    }

    private static Command Compare()
    {
        var reference = new Option<string>("--reference") { Description = "The model to compare against (e.g. a distillation's teacher)", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "The model to check (e.g. the student)", Required = true };
        var images = new Option<string>("--images", "-i") { Description = "Folder of held-out images", Required = true };
        var maxSize = new Option<int>("--max-size") { Description = "Shrink images so the longer side is at most N", DefaultValueFactory = _ => 640 }.Within(1, 1 << 16);
        var engine = CommonOptions.Engine();
        var threads = CommonOptions.Threads();
        var command = new Command("compare", "PSNR of one model's output against another's on a folder of images") { reference, model, images, maxSize, engine, threads };
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var e = CommonOptions.ParseEngine(parse.GetValue(engine)!);
            using var a = await ModelLoading.LoadAsync(parse.GetValue(reference)!, Tensors.Device.Cpu, Models.Inference.Precision.Fp32, cancel, e);
            using var b = await ModelLoading.LoadAsync(parse.GetValue(model)!, Tensors.Device.Cpu, Models.Inference.Precision.Fp32, cancel, e);
            var files = Directory.Exists(parse.GetValue(images)) ? Directory.GetFiles(parse.GetValue(images)!).Where(Media.Images.ImageCodec.IsImagePath).Order().ToList()
                : throw new CliException($"{parse.GetValue(images)} is not a folder");
            if (files.Count == 0) throw new CliException($"{parse.GetValue(images)} holds no images");
            var psnrs = ModelComparison.Run(a, b, files, parse.GetValue(maxSize), (file, psnr) => Console.WriteLine($"{Path.GetFileName(file)}	{psnr:F2} dB"));
            Console.WriteLine($"mean PSNR {psnrs.Average():F2} dB over {psnrs.Count} images (min {psnrs.Min():F2})");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Show the styles that can be pulled and which are cached");
        command.SetAction(_ =>
        {
            var store = ModelStore.FromEnvironment();
            var table = new Table().AddColumns("style", "collection", "status", "size", "licence", "location");
            foreach (var style in store.Catalog.Styles)
            {
                var name = store.Catalog.DisplayName(style);
                var cached = store.IsCached(name);
                var size = style.Files.Values.All(f => f.Size != null) ? $"{style.Files.Values.Sum(f => f.Size!.Value) / 1e6:F1} MB" : "?";
                var label = style.Collection.TakesPainting ? $"{style.QualifiedName} (makes any painting a style: -m painting.jpg)" : name;
                table.AddRow(Markup.Escape(label), style.Collection.Name, cached ? "cached" : "pullable", size, Markup.Escape(style.Collection.Licence),
                    Markup.Escape(cached ? store.PathOf(name) : store.BaseUrlOf(style) + (style.Collection.FolderPerStyle ? style.Name + "/" : string.Join(", ", style.Files.Keys))));
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"cache: {store.CacheDirectory}");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var source = new Argument<string>("source") { Description = "ml5 checkpoint folder, PyTorch .pth state dict, safetensors file, or a .onnx of a known layout" };
        var output = new Option<string>("--output", "-o") { Description = "The .safetensors file to write", Required = true };
        var style = new Option<string>("--style") { Description = "Style name to record in the metadata" };
        var force = CommonOptions.Force();
        var command = new Command("import", "Convert a model into LiveStyle's safetensors format") { source, output, style, force };
        command.SetAction(async (parse, cancel) =>
        {
            var target = parse.GetValue(output)!;
            if (!target.EndsWith(WeightFiles.NativeExtension, StringComparison.OrdinalIgnoreCase))
                throw new CliException($"{target}: the output must end in {WeightFiles.NativeExtension}");
            if (File.Exists(target) && !parse.GetValue(force)) throw new CliException($"{target} already exists (use --force to replace it)");
            var from = parse.GetValue(source)!;
            using var loader = ModelLoading.Loader();
            var weights = StyleLoader.IsPainting(from) ? await loader.WeightsAsync(from, cancel) : WeightFiles.Load(from);
            if (parse.GetValue(style) is { } s) weights = weights with { Info = weights.Info with { Style = s } };
            using (var check = Models.Inference.StyleModel.FromWeights(weights, Tensors.Device.Cpu, Models.Inference.Precision.Fp32)) { }
            WeightFiles.Save(target, weights, overwrite: parse.GetValue(force));
            Console.WriteLine($"{target}\t{weights.Info.Config.Name}\t{weights.Info.Style}");
            return 0;
        });
        return command;
    }

    private static Command Info()
    {
        var model = new Argument<string>("model") { Description = "A style name or model path (default: every built-in architecture)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("info", "Show a model's architecture, parameters and GFLOPs per megapixel") { model };
        command.SetAction(async (parse, cancel) =>
        {
            var table = new Table().AddColumns("model", "architecture", "channels", "residual blocks", "parameters", "GFLOPs/MP");
            if (parse.GetValue(model) is { } tflite && Models.Formats.Tflite.TfliteFile.IsTflitePath(tflite))
            {
                var (layout, count, licence) = Models.Formats.Tflite.TfliteLayouts.Describe(tflite);
                Console.WriteLine($"{tflite}: {layout}, {count:N0} parameters (int8, dequantized to float)");
                Console.WriteLine($"licence: {(licence.Length > 0 ? licence : "not stated in the file")}");
                return 0;
            }
            if (parse.GetValue(model) is { } m)
            {
                using var loader = ModelLoading.Loader();
                var weights = await loader.WeightsAsync(m, cancel);
                var parameters = weights.Tensors.Values.Sum(t => t.Data.LongLength);
                AddRow(table, weights.Info.Style, weights.Info.Config, parameters);
                AnsiConsole.Write(table);
                Console.WriteLine($"source: {weights.Info.Source}");
                Console.WriteLine($"licence: {loader.LicenceOf(m, weights.Info.Licence)}");
                foreach (var (k, v) in weights.Info.Training) Console.WriteLine($"training.{k}: {v}");
                return 0;
            }
            foreach (var preset in TransformNetConfig.Presets)
            {
                using var net = new TransformNet(preset);
                AddRow(table, "-", preset, net.ParameterCount);
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static void AddRow(Table table, string name, TransformNetConfig config, long parameters) =>
        table.AddRow(Markup.Escape(name), config.Name, string.Join("-", config.Channels),
            $"{config.ResidualBlocks} {(config.Residual == ResidualKind.DepthwiseSeparable ? "separable" : "standard")}",
            $"{parameters:N0}", $"{Complexity.GflopsPerMegapixel(config):F1}");
}
