using System.CommandLine;
using System.Text.Json.Nodes;
using LiveStyle.Pipeline.Measure;

namespace LiveStyle.Cli.Commands;

/// <summary>`bench pixels`: a frame's conversions to the network's planes and back, vectorised beside the scalar reference.</summary>
public static class PixelsBenchCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Frame size (WxH)", DefaultValueFactory = _ => "640x480" };
        var strength = new Option<float>("--strength") { Description = "Blend strength of the way back (1: the network's output alone)", DefaultValueFactory = _ => 0.7f }.Within(0f, 1f);
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 20 }.Within(0, 10_000);
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 100 }.Within(1, 100_000);
        var command = new Command("pixels", "Measure the per-frame pixel conversions (packed BGR to planes and back, and the sinks' packed blend), vectorised and scalar") { size, strength, warmup, repeats };
        command.SetAction(parse =>
        {
            var (width, height) = CommonOptions.ParseSize(parse.GetValue(size), "--size")!.Value;
            var r = PixelPlanesTimings.Measure(width, height, parse.GetValue(strength), parse.GetValue(warmup), parse.GetValue(repeats));
            Console.WriteLine(new JsonObject
            {
                ["frame"] = $"{width}x{height}", ["strength"] = parse.GetValue(strength),
                ["to_planar_ms"] = Math.Round(r.ToPlanarMs, 3), ["scalar_to_planar_ms"] = Math.Round(r.ScalarToPlanarMs, 3),
                ["to_packed_ms"] = Math.Round(r.ToPackedMs, 3), ["scalar_to_packed_ms"] = Math.Round(r.ScalarToPackedMs, 3),
                ["packed_blend_ms"] = Math.Round(r.BlendMs, 3), ["scalar_packed_blend_ms"] = Math.Round(r.ScalarBlendMs, 3),
            }.ToJsonString());
            return 0;
        });
        return command;
    }
}
