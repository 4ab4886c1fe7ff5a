using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Security;

/// <summary>
/// The second hostile-input round (issue 34), one test per defect found by hand: each is one clear line, a non-zero
/// exit, nothing written, no stack trace, and (where memory was the harm) under 1 GB of peak resident memory.
/// </summary>
public sealed class HostileRoundTwoTests : IDisposable
{
    private const long OneGigabyteKb = 1 << 20;
    private readonly TempDir _dir = new();
    private bool _warm;

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env => new() { ["LIVESTYLE_CACHE"] = _dir["cache"] };

    /// <summary>Runs the command under GNU time; it must fail cleanly, quickly, small, and leave the output folder empty.</summary>
    private CliRunner.Result Refused(string expected, params string[] args)
    {
        Directory.CreateDirectory(_dir["out"]);
        if (!_warm) WarmCache();
        _warm = true;
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(Env, ["--peak-memory", .. args]);
        CliRunner.AssertCleanFailure(r, expected);
        Assert.DoesNotContain("\u001b", r.Stderr);
        Assert.True(r.PeakKilobytes < OneGigabyteKb, $"peak resident memory {r.PeakKilobytes / 1024} MB");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
        Assert.Empty(Directory.GetFiles(_dir["out"]));
        return r;
    }

    /// <summary>The models the commands need, already in this test's cache, so no "pulling" line comes before the error.</summary>
    private void WarmCache()
    {
        Assert.Equal(0, CliRunner.Run(Env, "models", "pull", "wave").ExitCode);
        var folder = Path.Combine(_dir["cache"], "loss-networks", "squeezenet");
        Directory.CreateDirectory(folder);
        foreach (var f in new[] { "SqueezeNet_fp16.onnx", "Labels.json" })
            if (!File.Exists(Path.Combine(folder, f))) File.Copy(TestPaths.WindowsMl(f), Path.Combine(folder, f));
    }

    private string Photo()
    {
        var path = _dir["photo.png"];
        if (!File.Exists(path)) ImageCodec.Write(path, TestImages.Photo(96, 64));
        return path;
    }

    private static string Pth(string name) => Path.Combine(PyTorchFixtures.HostilePth, name);

    [Theory]
    [InlineData("--threads", "abc")]
    [InlineData("--strength", "abc")]
    [InlineData("--crf", "1e3")]
    public void AnOptionValueThatDoesNotParseIsAUsageError(string option, string value)
    {
        var r = CliRunner.Run(Env, "convert", "-m", "wave", "-i", _dir["in.mp4"], "-o", _dir["out.mp4"], option, value);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(option, r.Stderr);
        Assert.DoesNotContain("Unhandled exception", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void NumbersThatDoNotParseOrFitAreUsageErrorsInEveryCommand()
    {
        foreach (var args in new[]
                 {
                     new[] { "paint", "-c", Photo(), "-s", Photo(), "-o", _dir["p.png"], "--size", "99999999999" },
                     ["paint", "-c", Photo(), "-s", Photo(), "-o", _dir["p.png"], "--style-weight", "inf"],
                     ["models", "classify", "-n", "squeezenet", "-i", Photo(), "--top", "abc"],
                 })
        {
            var r = CliRunner.Run(Env, args);
            Assert.True(r.ExitCode == 1, $"{string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stderr}");
            Assert.DoesNotContain("Unhandled exception", r.Stderr);
        }
    }

    public static TheoryData<string> EndlessInputs => new() { "/dev/zero", "/dev/urandom", "fifo" };

    [Theory]
    [MemberData(nameof(EndlessInputs))]
    public void AnInputThatIsNoRegularFileIsRefusedBeforeItIsRead(string input)
    {
        if (input == "fifo")
        {
            input = _dir["pipe.png"];
            Ffmpeg.Run("mkfifo", input);
        }
        Refused("not a regular file", "stylize", "-m", "wave", "-i", input, "-o", _dir["out/o.png"]);
        Refused("not a regular file", "paint", "-c", input, "-s", Photo(), "-o", _dir["out/p.png"]);
        Refused("not a regular file", "paint", "-c", Photo(), "-s", input, "-o", _dir["out/p.png"]);
        Refused("not a regular file", "models", "classify", "-n", "squeezenet", "-i", Photo(), "--labels", input);
    }

    [Fact]
    public void ZeroStrideViewsAreBoundedTogether() =>
        Refused("over the limit", "models", "info", Pth("zero_stride_ten.pth"));

    [Fact]
    public void ManyKeysAreRefusedWithoutLookingAtThemPairwise()
    {
        var clock = Stopwatch.StartNew();
        Refused("residual", "models", "info", Pth("many_keys.pth"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"20,000 keys took {clock.Elapsed.TotalSeconds:F1} s");
        var tensors = new Dictionary<string, HostTensor>
        {
            ["conv1.conv2d.weight"] = new([32, 3, 9, 9], new float[32 * 3 * 81]),
            ["conv2.conv2d.weight"] = new([64, 32, 3, 3], new float[64 * 32 * 9]),
            ["conv3.conv2d.weight"] = new([128, 64, 3, 3], new float[128 * 64 * 9]),
        };
        for (var i = 1; i <= 100_000; i++) tensors[$"res{i}.x"] = new([0], []);
        SafeTensorsFile.Write(_dir["many.safetensors"], tensors, new Dictionary<string, string>());
        clock.Restart();
        Refused("residual", "models", "info", _dir["many.safetensors"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"100,000 keys took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void TextFromAModelFileNeverReachesTheTerminalRaw()
    {
        Refused("os\\u001b[31m", "models", "info", Pth("escape_global.pth"));
        Refused("res1.x\\u001b]0;owned", "stylize", "-m", Pth("escape_key.pth"), "-i", Photo(), "-o", _dir["out/o.png"]);
        // A tensor whose data runs past the file: the error names it.
        var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["conv1.weight\u001b[2J\u202e"] = new { dtype = "F32", shape = new[] { 2 }, data_offsets = new[] { 0, 99 } },
        }));
        var file = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        File.WriteAllBytes(_dir["names.safetensors"], file);
        Refused("conv1.weight\\u001b[2J\\u202e", "stylize", "-m", _dir["names.safetensors"], "-i", Photo(), "-o", _dir["out/o.png"]);
    }

    [Fact]
    public void ClassifyPrintsLabelsSanitisedAndCut()
    {
        var labels = Enumerable.Range(0, 1000).ToDictionary(i => i.ToString(), i => $"class\u001b[31m\u202e{new string('x', 500)}");
        File.WriteAllText(_dir["labels.json"], JsonSerializer.Serialize(labels));
        var r = CliRunner.Run(Env, "models", "classify", "-n", "squeezenet", "-i", Photo(), "--labels", _dir["labels.json"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("\u001b", r.Stdout);
        Assert.DoesNotContain("\u202e", r.Stdout);
        Assert.All(r.Stdout.Split('\n'), line => Assert.True(line.Length < 400, $"a line of {line.Length} characters"));
    }

    [Fact]
    public void ExistingFilesAreNotReplacedWithoutForce()
    {
        var photo = Photo();
        var before = File.ReadAllBytes(photo);
        var clip = _dir["clip.mp4"];
        Ffmpeg.MakeClip(clip, 64, 48, 1, audioStreams: 0);
        File.WriteAllText(_dir["errors.csv"], "keep me");
        foreach (var (args, fragment) in new (string[], string)[]
                 {
                     (["paint", "-c", photo, "-s", photo, "-o", _dir["p.png"], "--log", photo, "-n", "1"], "already exists"),
                     (["metrics", "flicker", "-i", clip, "-s", clip, "--csv", _dir["errors.csv"]], "already exists"),
                     (["live", "-m", "wave", "-i", "testpattern", "--no-window", "--max-frames", "1", "--screenshot", photo], "already exists"),
                 })
        {
            var r = CliRunner.Run(Env, args);
            CliRunner.AssertCleanFailure(r, fragment);
        }
        Assert.Equal(before, File.ReadAllBytes(photo));
        Assert.Equal("keep me", File.ReadAllText(_dir["errors.csv"]));
        Assert.False(File.Exists(_dir["p.png"]));
    }

    [Fact]
    public void MetricsOfAnotherSizeAreRefused()
    {
        Directory.CreateDirectory(_dir["a"]);
        Directory.CreateDirectory(_dir["b"]);
        ImageCodec.Write(_dir["a/x.png"], TestImages.Photo(96, 64));
        ImageCodec.Write(_dir["b/x.png"], TestImages.Photo(48, 40));
        Refused("is 48x40", "metrics", "style", "--style", Photo(), "-i", _dir["a"], "-s", _dir["b"]);
        Ffmpeg.MakeClip(_dir["c1.mp4"], 64, 48, 1, audioStreams: 0);
        Ffmpeg.MakeClip(_dir["c2.mp4"], 32, 32, 1, audioStreams: 0);
        Refused("32x32", "metrics", "flicker", "-i", _dir["c1.mp4"], "-s", _dir["c2.mp4"]);
    }

    [Fact]
    public void AJpegWithCorruptScanDataIsRefusedAndDecoderChatterStaysOff()
    {
        var jpeg = ImageCodec.Encode(TestImages.Photo(256, 192), ".jpg");
        // Damage the entropy-coded data in the middle, keeping the end-of-image marker: libjpeg warns and goes on.
        var start = jpeg.Length / 2;
        for (var i = start; i < start + 400; i++) jpeg[i] = (byte)(jpeg[i] ^ 0x5A);
        for (var i = start; i < start + 400; i++) if (jpeg[i] == 0xFF) jpeg[i] = 0xFE;
        File.WriteAllBytes(_dir["scan.jpg"], jpeg);
        Refused("corrupt", "stylize", "-m", "wave", "-i", _dir["scan.jpg"], "-o", _dir["out/o.png"]);
    }

    [Fact]
    public void ABadWebpIsCalledCorruptNotZeroPixels()
    {
        var webp = ImageCodec.Encode(TestImages.Photo(64, 48), ".webp");
        Assert.Equal("VP8 ", Encoding.ASCII.GetString(webp, 12, 4));
        webp.AsSpan(26, 4).Clear(); // the lossy frame's width and height
        File.WriteAllBytes(_dir["bad.webp"], webp);
        var r = Refused("bad.webp", "stylize", "-m", "wave", "-i", _dir["bad.webp"], "-o", _dir["out/o.png"]);
        Assert.DoesNotContain("0x0", r.Stderr);
    }

    [Fact]
    public void ATamperedCachedSqueezeNetIsRefusedByItsHash()
    {
        var folder = Path.Combine(_dir["cache"], "loss-networks", "squeezenet");
        Directory.CreateDirectory(folder);
        foreach (var f in new[] { "SqueezeNet_fp16.onnx", "Labels.json" }) File.Copy(TestPaths.WindowsMl(f), Path.Combine(folder, f));
        var model = Path.Combine(folder, "SqueezeNet_fp16.onnx");
        var bytes = File.ReadAllBytes(model);
        bytes[^1000] ^= 0x40;
        File.WriteAllBytes(model, bytes);
        Refused("does not match its pinned SHA-256", "models", "classify", "-n", "squeezenet", "-i", Photo());
    }

    [Fact]
    public void LiveRefusesAVideoConvertRefuses()
    {
        // 10002x10000 declared, tiny on disk (an all-black H.264 frame).
        Ffmpeg.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=black:size=10002x10000:duration=0.1:rate=10", "-c:v", "libx264", "-preset", "ultrafast", _dir["huge.mp4"]);
        Refused("over the limit", "live", "-m", "wave", "-i", _dir["huge.mp4"], "--no-window", "--max-frames", "1");
    }

    public static TheoryData<string> PoisonValues => new() { "nan", "inf", "3e38" };

    [Theory]
    [MemberData(nameof(PoisonValues))]
    public void AModelWithNonFiniteOrAbsurdWeightsIsRefusedWhenLoaded(string poison)
    {
        var value = poison switch { "nan" => float.NaN, "inf" => float.PositiveInfinity, _ => 3e38f };
        using var net = new TransformNet(TransformNetConfig.Mobile);
        var tensors = net.NamedParameters().ToDictionary(p => p.Name, p => new HostTensor(p.Value.Shape, p.Value.ToArray<float>()));
        var info = new ModelInfo(TransformNetConfig.Mobile, "poison", "test", new Dictionary<string, string>());
        var exported = OnnxWire.Decode(OnnxExport.ToBytes(net, info), "poison");
        tensors["conv1.conv2d.weight"].Data[5] = value;
        WeightFiles.Save(_dir["poison.safetensors"], new Weights(info, tensors));
        Refused("not a finite", "stylize", "-m", _dir["poison.safetensors"], "-i", Photo(), "-o", _dir["out/o.png"]);
        var poisoned = exported.Graph.Initializers.Select(t => t.Name == "conv1.conv2d.weight" ? t with { Floats = tensors[t.Name].Data } : t).ToList();
        File.WriteAllBytes(_dir["poison.onnx"], OnnxWire.Encode(exported with { Graph = exported.Graph with { Initializers = poisoned } }));
        Refused("not a finite", "stylize", "-m", _dir["poison.onnx"], "-i", Photo(), "-o", _dir["out/o.png"]);
        Directory.CreateDirectory(_dir["data"]);
        ImageCodec.Write(_dir["data/a.png"], TestImages.Photo(96, 64));
        Refused("not a finite", "distill", "--teacher", _dir["poison.safetensors"], "--data", _dir["data"], "-o", _dir["out/d.safetensors"],
            "--crop", "32", "--batch", "1", "--steps", "2", "--checkpoint", _dir["out/d.ckpt.safetensors"]);
    }

    [Fact]
    public void ASqueezeNetWithNonFiniteWeightsIsRefused()
    {
        var model = OnnxWire.Decode(File.ReadAllBytes(TestPaths.WindowsMl("SqueezeNet_fp16.onnx")), "squeezenet");
        // Written back as float32 (the reader takes either), the first weight of conv1 NaN.
        var poisoned = model.Graph.Initializers.Select(t => t.Floats == null ? t : t with { Type = OnnxDataType.Float })
            .Select(t => t.Name == "conv1_w_0" ? t with { Floats = [float.NaN, .. t.Floats!.Skip(1)] } : t).ToList();
        File.WriteAllBytes(_dir["nan-squeezenet.onnx"], OnnxWire.Encode(model with { Graph = model.Graph with { Initializers = poisoned } }));
        Refused("not a finite", "models", "classify", "-n", _dir["nan-squeezenet.onnx"], "-i", Photo());
    }

    [Fact]
    public void PaintWhoseLossesGoNonFiniteWritesNothing()
    {
        Refused("not a finite", "paint", "-c", Photo(), "-s", Photo(), "-o", _dir["out/p.png"], "--style-layers", "fire2:1e308", "-n", "3", "--size", "64");
        Refused("not a finite", "paint", "-c", Photo(), "-s", Photo(), "-o", _dir["out/p.png"], "--style-layers", "fire2:1e308", "--optimizer", "adam", "-n", "3", "--size", "64");
    }

    [Fact]
    public void AnOnnxFileThatNamesExternalDataAnywhereIsRefused()
    {
        File.WriteAllText(_dir["secret.txt"], new string('A', 4096));
        foreach (var (name, model) in ExternalDataModels())
        {
            File.WriteAllBytes(_dir[name], model);
            Refused("external", "stylize", "-m", _dir[name], "-i", Photo(), "-o", _dir["out/o.png"]);
        }
    }

    /// <summary>A float tensor whose data lives in secret.txt, as a Constant's attribute, an If branch's initializer and a sparse initializer.</summary>
    private static IEnumerable<(string, byte[])> ExternalDataModels()
    {
        var external = Proto.Message(t =>
        {
            t.Varint(1, 4); t.Varint(2, 1); t.Text(8, "secret");
            t.Nested(13, Proto.Message(e => { e.Text(1, "location"); e.Text(2, "secret.txt"); }));
            t.Varint(14, 1);
        });
        byte[] Graph(Action<Proto> body) => Proto.Message(g =>
        {
            body(g);
            g.Text(2, "g");
            g.Nested(11, ValueInfo("input", 4));
            g.Nested(12, ValueInfo("output", 4));
        });
        byte[] Model(byte[] graph) => Proto.Message(m =>
        {
            m.Varint(1, 8);
            m.Nested(7, graph);
            m.Nested(8, Proto.Message(o => o.Varint(2, 17)));
        });
        byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes) => Proto.Message(n =>
        {
            foreach (var i in inputs) n.Text(1, i);
            foreach (var o in outputs) n.Text(2, o);
            n.Text(4, op);
            foreach (var a in attributes) n.Nested(5, a);
        });
        var constant = Node("Constant", [], ["c"], Proto.Message(a => { a.Text(1, "value"); a.Nested(5, external); a.Varint(20, 4); }));
        yield return ("constant.onnx", Model(Graph(g =>
        {
            g.Nested(1, constant);
            g.Nested(1, Node("Add", ["input", "c"], ["output"]));
        })));
        var branch = Proto.Message(b => { b.Nested(5, external); b.Text(2, "branch"); b.Nested(12, ValueInfo("secret", 1)); });
        yield return ("subgraph.onnx", Model(Graph(g =>
        {
            g.Nested(1, Node("If", ["cond"], ["output"],
                Proto.Message(a => { a.Text(1, "then_branch"); a.Nested(6, branch); a.Varint(20, 5); }),
                Proto.Message(a => { a.Text(1, "else_branch"); a.Nested(6, branch); a.Varint(20, 5); })));
        })));
        yield return ("sparse.onnx", Model(Graph(g =>
        {
            g.Nested(15, Proto.Message(s => { s.Nested(1, external); s.Nested(2, Proto.Message(i => { i.Varint(1, 1); i.Varint(2, 7); i.Text(8, "idx"); })); s.Varint(3, 4); }));
            g.Nested(1, Node("Add", ["input", "secret"], ["output"]));
        })));
    }

    private static byte[] ValueInfo(string name, int rank) => Proto.Message(v =>
    {
        v.Text(1, name);
        v.Nested(2, Proto.Message(t => t.Nested(1, Proto.Message(tt =>
        {
            tt.Varint(1, 1);
            tt.Nested(2, Proto.Message(s => { for (var i = 0; i < rank; i++) s.Nested(1, Proto.Message(d => d.Text(2, $"d{i}"))); }));
        }))));
    });

    [Fact]
    public void AnOnnxFileOfEmptyNodesDoesNotBlowUpMemory()
    {
        // 20 MB of empty nodes inside the graph: each two bytes of file once became a node object.
        var nodes = new byte[20 << 20];
        for (var i = 0; i < nodes.Length; i += 2) nodes[i] = 0x0A;
        File.WriteAllBytes(_dir["empty-nodes.onnx"], Proto.Message(m => { m.Varint(1, 8); m.Nested(7, nodes); }));
        Refused("nodes", "stylize", "-m", _dir["empty-nodes.onnx"], "-i", Photo(), "-o", _dir["out/o.png"]);
        // 60 MB of packed dims in one initializer.
        var dims = new byte[60 << 20];
        Array.Fill(dims, (byte)0x01);
        File.WriteAllBytes(_dir["dims.onnx"], Proto.Message(m =>
        {
            m.Varint(1, 8);
            m.Nested(7, Proto.Message(g => g.Nested(5, Proto.Message(t => { t.Nested(1, dims); t.Varint(2, 1); }))));
        }));
        Refused("dimensions", "stylize", "-m", _dir["dims.onnx"], "-i", Photo(), "-o", _dir["out/o.png"]);
    }

    [Theory]
    [InlineData(100000, "over the limit")]
    [InlineData(20000, "over the limit")]
    [InlineData(8000, "over the limit")]
    public void AForeignOnnxOfAFixedHugeSizeIsRefusedBeforeItRuns(int side, string expected)
    {
        var g = Proto.Message(graph =>
        {
            graph.Nested(1, Proto.Message(n => { n.Text(1, "input"); n.Text(2, "output"); n.Text(4, "Identity"); }));
            graph.Nested(11, FixedValueInfo("input", side));
            graph.Nested(12, FixedValueInfo("output", side));
        });
        File.WriteAllBytes(_dir["fixed.onnx"], Proto.Message(m => { m.Varint(1, 8); m.Nested(7, g); m.Nested(8, Proto.Message(o => o.Varint(2, 17))); }));
        Refused(expected, "stylize", "-m", _dir["fixed.onnx"], "-i", Photo(), "-o", _dir["out/o.png"]);
    }

    private static byte[] FixedValueInfo(string name, int side) => Proto.Message(v =>
    {
        v.Text(1, name);
        v.Nested(2, Proto.Message(t => t.Nested(1, Proto.Message(tt =>
        {
            tt.Varint(1, 1);
            tt.Nested(2, Proto.Message(s =>
            {
                foreach (var d in new long[] { 1, 3, side, side }) s.Nested(1, Proto.Message(dim => dim.Varint(1, d)));
            }));
        }))));
    });

    [Fact]
    public void PixelsThatWouldNeedMoreMemoryThanAllowedAreRefusedSayingWhichLimit()
    {
        ImageCodec.Write(_dir["big.png"], new Image(8000, 8000, 3));
        var r = Refused("memory", "stylize", "-m", "wave", "-i", _dir["big.png"], "-o", _dir["out/o.png"]);
        Assert.Contains("LIVESTYLE_MAX_MEMORY", r.Stderr);
        Refused("memory", "live", "-m", "wave", "-i", "testpattern", "--size", "8000x8000", "--no-window", "--max-frames", "1");
    }

    [Fact]
    public void AJohnsonLayoutWithPiecesMissingIsOneLine()
    {
        // Johnson's layout is recognised from a reflect Pad, a Crop and Conv/InstanceNormalization nodes; these are what an attacker bends.
        var johnson = File.ReadAllBytes(TestPaths.WindowsMl("candy.onnx"));
        var model = OnnxWire.Decode(johnson, "candy");
        var noAdd = model with { Graph = model.Graph with { Nodes = model.Graph.Nodes.Where(n => n.OpType != "Add").ToList() } };
        var scalarWeights = model with { Graph = model.Graph with { Initializers = model.Graph.Initializers.Select(t => t.Dims.Length == 4 ? t with { Dims = [t.Floats!.Length] } : t).ToList() } };
        var zeroDim = model with { Graph = model.Graph with { Initializers = model.Graph.Initializers.Select(t => t.Dims.Length == 4 ? t with { Dims = [0, t.Dims[1], t.Dims[2], t.Dims[3]], Floats = [] } : t).ToList() } };
        var duplicate = model with { Graph = model.Graph with { Initializers = [.. model.Graph.Initializers, model.Graph.Initializers[0]] } };
        foreach (var (name, bad) in new[] { ("no-add", noAdd), ("scalar", scalarWeights), ("zero", zeroDim), ("duplicate", duplicate) })
        {
            File.WriteAllBytes(_dir[name + ".onnx"], OnnxWire.Encode(bad with { Metadata = new Dictionary<string, string>() }));
            Refused(name + ".onnx", "stylize", "-m", _dir[name + ".onnx"], "-i", Photo(), "-o", _dir["out/o.png"]);
        }
    }

    [Fact]
    public void ALoopThatWouldRunForeverStopsOnCtrlC()
    {
        // A Loop of 10^15 turns around an Identity: ONNX Runtime would run it for days; the first Ctrl+C must end it.
        File.WriteAllBytes(_dir["loop.onnx"], EndlessLoop());
        Directory.CreateDirectory(_dir["out"]);
        using var run = new Background(false, Env, "stylize", "-m", _dir["loop.onnx"], "-i", Photo(), "-o", _dir["out/o.png"]);
        Thread.Sleep(TimeSpan.FromSeconds(4));
        if (run.HasExited) Assert.Fail("the endless model ended by itself: " + run.Wait(TimeSpan.Zero).Stderr);
        var clock = Stopwatch.StartNew();
        Process.Start("kill", ["-INT", run.Id.ToString()])!.WaitForExit();
        var r = run.Wait(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopped only after {clock.Elapsed}");
        Assert.Equal(130, r.ExitCode);
        Assert.EndsWith("livestyle: interrupted", r.Stderr.TrimEnd());
        Assert.False(File.Exists(_dir["out/o.png"]));
    }

    [Fact]
    public void PaintStoppedWhileItSetsUpEndsCleanly()
    {
        // Before: System.CommandLine returned from Main two seconds after Ctrl+C while libtorch still worked, and the exit crashed (SIGSEGV).
        var photo = _dir["large.png"];
        ImageCodec.Write(photo, TestImages.Photo(1024, 683));
        Directory.CreateDirectory(_dir["out"]);
        WarmCache();
        using var paint = new Background(false, Env, "paint", "-c", photo, "-s", photo, "-o", _dir["out/p.png"], "--size", "1024", "-n", "3", "--refine-iterations", "500");
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Process.Start("kill", ["-INT", paint.Id.ToString()])!.WaitForExit();
        var r = paint.Wait(TimeSpan.FromSeconds(120));
        Assert.True(r.ExitCode == 130, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.EndsWith("livestyle: interrupted", r.Stderr.TrimEnd());
        // The run wound down (the picture so far kept, as paint promises) instead of being abandoned mid-step.
        Assert.Contains("the image so far is in", r.Stderr);
        Assert.Equal(1024, ImageCodec.Read(_dir["out/p.png"]).Width);
    }

    private static byte[] EndlessLoop()
    {
        static byte[] Image(string name, bool named) => Proto.Message(v =>
        {
            v.Text(1, name);
            v.Nested(2, Proto.Message(t => t.Nested(1, Proto.Message(tt =>
            {
                tt.Varint(1, 1);
                tt.Nested(2, Proto.Message(shape =>
                {
                    shape.Nested(1, Proto.Message(d => d.Varint(1, 1)));
                    shape.Nested(1, Proto.Message(d => d.Varint(1, 3)));
                    shape.Nested(1, Proto.Message(d => { if (named) d.Text(2, "h"); }));
                    shape.Nested(1, Proto.Message(d => { if (named) d.Text(2, "w"); }));
                }));
            }))));
        });
        static byte[] Scalar(string name, int type) => Proto.Message(v =>
        {
            v.Text(1, name);
            v.Nested(2, Proto.Message(t => t.Nested(1, Proto.Message(tt => { tt.Varint(1, type); tt.Nested(2, []); }))));
        });
        var body = Proto.Message(g =>
        {
            g.Nested(1, Proto.Message(n => { n.Text(1, "cond_in"); n.Text(2, "cond_out"); n.Text(4, "Identity"); }));
            g.Nested(1, Proto.Message(n => { n.Text(1, "v_in"); n.Text(2, "v_out"); n.Text(4, "Identity"); }));
            g.Text(2, "body");
            g.Nested(11, Scalar("i", 7));
            g.Nested(11, Scalar("cond_in", 9));
            g.Nested(11, Image("v_in", false));
            g.Nested(12, Scalar("cond_out", 9));
            g.Nested(12, Image("v_out", false));
        });
        var graph = Proto.Message(g =>
        {
            g.Nested(1, Proto.Message(n =>
            {
                n.Text(1, "trips"); n.Text(1, "keep_going"); n.Text(1, "input");
                n.Text(2, "output");
                n.Text(4, "Loop");
                n.Nested(5, Proto.Message(a => { a.Text(1, "body"); a.Nested(6, body); a.Varint(20, 5); }));
            }));
            g.Text(2, "endless");
            g.Nested(5, Proto.Message(t => { t.Varint(2, 7); t.Varint(7, 1_000_000_000_000_000); t.Text(8, "trips"); }));
            g.Nested(5, Proto.Message(t => { t.Varint(2, 9); t.Varint(5, 1); t.Text(8, "keep_going"); }));
            g.Nested(11, Image("input", true));
            g.Nested(12, Image("output", true));
        });
        return Proto.Message(m => { m.Varint(1, 8); m.Nested(7, graph); m.Nested(8, Proto.Message(o => o.Varint(2, 17))); });
    }

    [Fact]
    public void AMirrorThatDripsIsGivenUpOn()
    {
        using var server = new LoopbackServer(async ctx =>
        {
            ctx.Response.ContentLength64 = 100; // under any pinned size, so only the pace is wrong
            for (var i = 0; i < 100; i++)
            {
                await ctx.Response.OutputStream.WriteAsync(new byte[1]);
                await ctx.Response.OutputStream.FlushAsync();
                await Task.Delay(3000);
            }
        });
        var env = new Dictionary<string, string> { ["LIVESTYLE_CACHE"] = _dir["cache"], ["LIVESTYLE_MODEL_MIRROR"] = server.BaseUrl, ["LIVESTYLE_DOWNLOAD_IDLE_SECONDS"] = "2" };
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(env, "models", "pull", "wave");
        CliRunner.AssertCleanFailure(r, "stalled");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"gave up only after {clock.Elapsed}");
    }
}

/// <summary>Just enough of protobuf's wire format to write hostile ONNX files by hand.</summary>
public sealed class Proto
{
    private readonly MemoryStream _bytes = new();

    public static byte[] Message(Action<Proto> write)
    {
        var p = new Proto();
        write(p);
        return p._bytes.ToArray();
    }

    private void Raw(ulong value)
    {
        while (value >= 0x80) { _bytes.WriteByte((byte)(value | 0x80)); value >>= 7; }
        _bytes.WriteByte((byte)value);
    }

    public void Varint(int field, long value) { Raw((ulong)(field << 3)); Raw((ulong)value); }
    public void Nested(int field, byte[] message) { Raw((ulong)((field << 3) | 2)); Raw((ulong)message.Length); _bytes.Write(message); }
    public void Text(int field, string text) => Nested(field, Encoding.UTF8.GetBytes(text));
}
