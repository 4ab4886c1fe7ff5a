using System.CommandLine;
using LiveStyle.Media.Images;
using LiveStyle.Models.Store;
using LiveStyle.Train.Loss;

namespace LiveStyle.Cli.Commands;

/// <summary>`models classify`: a loss network's top-5 ImageNet classes, the check that its weights and preprocessing are right.</summary>
public static class ModelClassify
{
    public static Command Create()
    {
        var network = new Option<string>("--network", "-n")
        {
            Description = $"{string.Join(", ", LossNetworks.Names)} (vgg* after `models pull-vgg`), or a weights file", DefaultValueFactory = _ => "squeezenet",
        };
        var input = new Option<string>("--input", "-i") { Description = "An image, or a folder of images", Required = true };
        var top = new Option<int>("--top") { Description = "How many classes to print", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var labels = new Option<string>("--labels") { Description = "ImageNet class names as JSON {\"0\": \"tench\", …} (default: the pinned Labels.json)" };
        var threads = CommonOptions.Threads();
        var command = new Command("classify", "Print a loss network's top ImageNet classes for images, with probabilities") { network, input, top, labels, threads };
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyTorchThreads(parse.GetValue(threads));
            var path = parse.GetValue(input)!;
            var files = Directory.Exists(path) ? Directory.GetFiles(path).Where(ImageCodec.IsImagePath).Order().ToList()
                : File.Exists(path) ? [path] : throw new CliException($"{path}: no such image or folder");
            if (files.Count == 0) throw new CliException($"{path} holds no images ({string.Join(", ", ImageCodec.Extensions)})");
            var store = ModelStore.FromEnvironment();
            var classes = ImageNetClasses.Load(parse.GetValue(labels)
                ?? Path.Combine(await LossNetworkFiles.SqueezeNetAsync(store, null, cancel), LossNetworkFiles.ImageNetLabels));
            using var net = await TrainCommands.OpenLossNetworkAsync(parse.GetValue(network)!, cancel);
            foreach (var file in files)
            {
                var result = classes.Classify(net, ImageCodec.Read(file), Tensors.Device.Cpu, parse.GetValue(top));
                Console.WriteLine(file);
                foreach (var (label, p) in result) Console.WriteLine($"  {p,6:P1}  {label}");
            }
            return 0;
        });
        return command;
    }
}
