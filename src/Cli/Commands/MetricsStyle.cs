using System.CommandLine;
using System.Globalization;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Measure;
using LiveStyle.Train.Loop;
using LiveStyle.Train.Loss;

namespace LiveStyle.Cli.Commands;

/// <summary>
/// `metrics style`: how far stylized images are from a painting's style and from their photos' content,
/// measured with a loss network's perceptual recipe (the same losses `train` minimises), beside the
/// photos' own distance to the painting.
/// </summary>
public static class MetricsStyle
{
    public static Command Create()
    {
        var style = new Option<string>("--style") { Description = "The painting", Required = true };
        var photos = new Option<string>("--input", "-i") { Description = "The photos: an image, or a folder of images", Required = true };
        var styled = new Option<string>("--styled", "-s") { Description = "The stylized images: a file, or a folder with the photos' file names", Required = true };
        var lossNet = new Option<string>("--loss-net") { Description = "Loss network: squeezenet, vgg16, vgg19 or a weights file", DefaultValueFactory = _ => "squeezenet" };
        var maxSize = new Option<int>("--max-size") { Description = "Measure at most this longer side (bounds the loss network's memory; 0: as they are)", DefaultValueFactory = _ => 1024 }.Within(0, 1 << 14);
        var styleSize = new Option<int>("--style-size") { Description = "Longer side of the painting for its Gram matrices (0: as it is)", DefaultValueFactory = _ => 512 }.Within(0, 1 << 14);
        var layers = PerceptualOptions.Create("the loss network's feed-forward recipe, as `train` uses it");
        var threads = CommonOptions.Threads();
        var command = new Command("style",
            "Perceptual losses of stylized images: style (Gram distance to the painting) and content (feature distance to the photo), " +
            "each weighted as in `train`, beside the photo's own style loss; lower style with bounded content is a stronger, faithful stylization")
        {
            style, photos, styled, lossNet, maxSize, styleSize, threads,
        };
        layers.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyTorchThreads(parse.GetValue(threads));
            var pairs = Pairs(parse.GetValue(photos)!, parse.GetValue(styled)!);
            var painting = ImageCodec.Read(parse.GetValue(style)!);
            var (w, h) = painting.FitWithin(parse.GetValue(styleSize));
            var loss = await TrainCommands.OpenLossNetworkAsync(parse.GetValue(lossNet)!, cancel);
            StyleObjective objective;
            try
            {
                var recipe = layers.Read(parse, loss, loss.FeedForward);
                using var paintingTensor = ImageTensors.ToTensor(painting.Resize(w, h)).DetachFromScope();
                objective = new StyleObjective(loss, recipe, paintingTensor);
            }
            catch
            {
                loss.Dispose();
                throw;
            }
            using var _ = objective;
            var factors = new List<double>();
            Console.WriteLine("image\tcontent\tstyle\tphoto's style\tstyle factor");
            foreach (var (photo, result) in pairs)
            {
                var m = StyleMetric.Measure(objective, photo, result, parse.GetValue(maxSize));
                factors.Add(m.Factor);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(result)}\t{m.Content:G4}\t{m.Style:G4}\t{m.PhotoStyle:G4}\t{m.Factor:F2}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median style factor {Percentiles.Median(factors):F2} over {factors.Count} images (the photo's style loss over the stylized image's)"));
            return 0;
        });
        return command;
    }

    /// <summary>(photo, stylized) by file name: a file with a file, or every image of a folder with the same name in the other.</summary>
    private static List<(string Photo, string Styled)> Pairs(string photos, string styled)
    {
        if (File.Exists(photos) && File.Exists(styled)) return [(photos, styled)];
        if (!Directory.Exists(photos) || !Directory.Exists(styled))
            throw new CliException($"--input and --styled must both be images or both be folders ({photos}, {styled})");
        var pairs = Directory.GetFiles(photos).Where(ImageCodec.IsImagePath).Order(StringComparer.Ordinal)
            .Select(p => (p, Path.Combine(styled, Path.GetFileName(p)))).Where(p => File.Exists(p.Item2)).ToList();
        if (pairs.Count == 0) throw new CliException($"{styled} holds no image named like one in {photos}");
        return pairs;
    }
}
