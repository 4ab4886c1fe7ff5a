using System.CommandLine;
using LiveStyle.Capture.Sources;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Pipeline.Live;
using LiveStyle.Pipeline.Styles;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Sinks;
using LiveStyle.Render.Window;

namespace LiveStyle.Cli.Commands;

public static class LiveCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--model", "-m") { Description = "One or more styles or model paths, comma-separated (keys switch between them)", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "camera:N, /dev/videoN, a video file or URL, an image, a folder of images, or testpattern", DefaultValueFactory = _ => "camera:0" };
        var size = new Option<string>("--size") { Description = "Processing size WxH (default: the source's size, at most 640 wide)" };
        var captureSize = new Option<string>("--capture-size") { Description = "Camera mode WxH to ask for" };
        var fps = new Option<double>("--fps") { Description = "Camera frame rate to ask for" }.Within(0, 1000);
        var loop = new Option<bool>("--loop") { Description = "Play a video file again from the start when it ends" };
        var strength = CommonOptions.Strength("0 shows the original, 1 the full style (+/- keys change it)");
        var stabilize = CommonOptions.Stabilize();
        var noWindow = new Option<bool>("--no-window") { Description = "Run the pipeline without a display" };
        var maxFrames = new Option<long>("--max-frames") { Description = "Stop after this many frames were shown" }.AtLeast(1);
        var duration = new Option<double>("--duration") { Description = "Stop after this many seconds" }.Within(0.001, 1e9);
        var stats = new Option<bool>("--stats") { Description = "Print a stats line every second (a summary is always printed at exit)" };
        var screenshot = new Option<string>("--screenshot") { Description = "Save what is shown at exit to this PNG" };
        var force = CommonOptions.Force();
        var sinks = new Option<string[]>("--sink") { Description = "Output, repeatable: window, http://127.0.0.1:PORT (browser source), udp://HOST:PORT, srt://…, rtmp://…, v4l2:/dev/videoN (virtual camera), or a file to record (default: window)", AllowMultipleArgumentsPerToken = false };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Let an http sink bind beyond loopback (its URLs then need a token)" };
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var engine = CommonOptions.Engine();
        var painting = CommonOptions.Painting();
        var paintings = new Option<string>("--paintings") { Description = "A folder to watch: a painting saved or dropped into it becomes a style and is shown (within a second)" };
        var command = new Command("live", "Stylize a camera or video in real time in a window. Keys: ←/→ or 1-9 style, +/- strength, S split, F fullscreen, P screenshot, Space pause, Esc/Q quit")
        {
            models, input, size, captureSize, fps, loop, strength, stabilize, noWindow, maxFrames, duration, stats, screenshot, force, sinks, allowRemote,
            painting.Size, painting.Intensity, paintings, device, precision, engine, threads,
        };

        command.SetAction(async (parse, cancel) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            var s = parse.GetValue(strength);
            var mode = CommonOptions.ParseSize(parse.GetValue(captureSize), "--capture-size") is { } cs ? new SourceFactory.CameraMode(cs.Width, cs.Height, parse.GetValue(fps)) : new SourceFactory.CameraMode(0, 0, parse.GetValue(fps));
            var (dev, prec) = (CommonOptions.ParseDevice(parse.GetValue(device)!), CommonOptions.ParsePrecision(parse.GetValue(precision)!));
            var names = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var sinkSpecs = parse.GetValue(sinks) is { Length: > 0 } given ? given : [SinkFactory.Window];
            foreach (var spec in sinkSpecs) SinkFactory.Validate(spec, parse.GetValue(allowRemote));
            var wantWindow = sinkSpecs.Contains(SinkFactory.Window) && !parse.GetValue(noWindow);
            if (names.Length == 0) throw new CliException("--model names no model");

            var eng = CommonOptions.ParseEngine(parse.GetValue(engine)!);
            if (parse.GetValue(screenshot) is { } shot && File.Exists(shot) && !parse.GetValue(force))
                throw new CliException($"{shot} already exists (use --force to replace it)");
            var folder = parse.GetValue(paintings);
            if (folder != null && !Directory.Exists(folder)) throw new CliException($"--paintings {folder} is not a folder");
            using var loader = ModelLoading.Loader(painting.Parse(parse));
            // A painting below full intensity moves towards the input's own style: its first frame's.
            var reference = names.Any(StyleLoader.IsPainting) && loader.Painting.Intensity < 1 ? ReferenceFrame.Read(parse.GetValue(input)!) : null;
            var loaded = new List<StyleModel>();
            try
            {
                foreach (var name in names) loaded.Add(await loader.LoadAsync(name, dev, prec, eng, cancel, reference));
                if (folder != null) await loader.PaintingsAsync(cancel); // pulled before the source opens, so a failure leaves nothing open
                var requested = CommonOptions.ParseSize(parse.GetValue(size), "--size"); // before the source opens: nothing may fail between it and the journey that owns it
                var source = SourceFactory.Open(parse.GetValue(input)!, mode);
                var (width, height) = requested ?? LiveJourney.DefaultSize(source);
                using var journey = new LiveJourney(source, loaded, width, height, parse.GetValue(loop), parse.GetValue(stabilize) ?? 0, s);
                journey.Notice += Terminal.Notice;
                // Uploads to the control page open Magenta's networks on first use (one painting at a time, under the journey's lock).
                journey.PaintingLoader = (image, name, sha) =>
                    StyleModel.FromWeights(loader.PaintingsAsync(cancel).GetAwaiter().GetResult().Fold(image, name, sha, loader.Painting), dev, prec, engine: eng);
                using var watched = folder != null ? new PaintingFolder(folder, journey.AddPainting, Terminal.Notice) : null;
                var limits = new LiveLimits(parse.GetValue(maxFrames), parse.GetValue(duration) is > 0 and var d ? TimeSpan.FromSeconds(d) : null,
                    parse.GetValue(stats), parse.GetValue(screenshot));
                using var presenter = (wantWindow ? OpenWindow(width, height, journey) : null) ?? (IPresenter)new NoWindow();
                var (runners, failures) = OpenSinks(sinkSpecs.Where(x => x != SinkFactory.Window), width, height, journey, parse.GetValue(allowRemote));
                try
                {
                    if (runners.Count == 0 && presenter is NoWindow && failures.Count > 0)
                        throw new CliException($"no output could be opened: {string.Join("; ", failures)}");
                    foreach (var f in failures) Terminal.Notice($"{f} (the other outputs go on)");
                    Terminal.Notice(journey.Run(presenter, runners, limits, Console.WriteLine, cancel));
                }
                finally
                {
                    foreach (var r in runners)
                    {
                        r.Dispose();
                        Terminal.Notice($"{r.Name}: {r.Written} frames, {r.Skipped} skipped, {r.MeanWriteMs:F1} ms per frame, written {r.LatencyMs:F0} ms after capture (median)");
                    }
                }
                return 0;
            }
            finally
            {
                foreach (var m in loaded) m.Dispose();
            }
        });
        return command;
    }

    /// <summary>Opens every sink it can; the ones that cannot open come back as messages.</summary>
    private static (List<SinkRunner> Runners, List<string> Failures) OpenSinks(IEnumerable<string> specs, int width, int height, ILiveControls controls, bool allowRemote)
    {
        var runners = new List<SinkRunner>();
        var failures = new List<string>();
        foreach (var spec in specs)
        {
            try { runners.Add(new SinkRunner(SinkFactory.Create(spec, width, height, controls, allowRemote, Terminal.Notice), width, height, Terminal.Notice)); }
            catch (Exception e) when (e is SinkException or Media.Video.VideoException) { failures.Add(e.Message); }
        }
        return (runners, failures);
    }

    /// <summary>A window, or null with a notice when no display can be opened (the run continues headless).</summary>
    private static PreviewWindow? OpenWindow(int width, int height, ILiveControls controls)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
        {
            Terminal.Notice("no display (DISPLAY is not set): running without a window; pass --no-window to say so");
            return null;
        }
        try
        {
            return new PreviewWindow("LiveStyle", width, height, Path.Combine(AppContext.BaseDirectory, "shaders"), controls);
        }
        catch (Exception e) when (e is DisplayException or DllNotFoundException or InvalidOperationException)
        {
            Terminal.Notice($"cannot open a window ({ErrorReporter.OneLine(e)}): running without one; pass --no-window to say so");
            return null;
        }
    }
}
