using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveStyle.Files;
using LiveStyle.Media.Images;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Onnx;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Pipeline.Styles;
using LiveStyle.Render.Web;
using LiveStyle.Tensors;

namespace LiveStyle.Pipeline.Web;

/// <summary>One style the page offers: its URL-safe id and what -m would name it.</summary>
public sealed record WebStyle(string Id, string Name);

/// <summary>
/// Everything the browser page is made of, and nothing more: the page's own files, ONNX Runtime Web's, the list of
/// styles, each style as an ONNX network (exported on first request and kept in the cache), a thumbnail of each
/// (the sample scene in that style), Magenta's two networks for paintings dropped onto the page, and the licences.
/// A path not listed here is not served; `web export` writes exactly <see cref="Paths"/>.
/// </summary>
public sealed class WebSite : IWebContent
{
    /// <summary>ONNX Runtime Web: the WebAssembly build (SIMD, threads) and the WebGPU build (with its WebAssembly fallback).</summary>
    public static readonly string[] RuntimeFiles =
    [
        "ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm",
        "ort.webgpu.min.js", "ort-wasm-simd-threaded.jsep.mjs", "ort-wasm-simd-threaded.jsep.wasm",
    ];

    private static readonly string[] PageFiles = ["index.html", "app.js", "app.css"];

    private readonly string _page, _runtime;
    private readonly DiskCache _cache;
    private readonly StyleLoader _loader;
    private readonly bool _paintings;
    private readonly IReadOnlyDictionary<string, WebStyle> _styles;
    private readonly ConcurrentDictionary<string, Lazy<byte[]>> _made = new();

    /// <param name="page">The folder of index.html, app.js and app.css.</param>
    /// <param name="runtime">The folder of ONNX Runtime Web's files (<see cref="RuntimeFiles"/>).</param>
    /// <param name="paintings">Offer Magenta's networks, so a painting dropped onto the page becomes a style.</param>
    public WebSite(string page, string runtime, IReadOnlyList<string> styles, StyleLoader loader, bool paintings)
    {
        foreach (var f in PageFiles.Select(f => Path.Combine(page, f)).Concat(RuntimeFiles.Select(f => Path.Combine(runtime, f))))
            if (!File.Exists(f)) throw new FileNotFoundException($"{f} is missing: run scripts/setup.sh (it installs the page's packages) and build again");
        (_page, _runtime, _loader, _paintings) = (page, runtime, loader, paintings);
        _cache = new DiskCache(Path.Combine(loader.Store.CacheDirectory, "web"), Models.Formats.ModelLimits.MaxFileBytes);
        _styles = styles.Select(s => new WebStyle(IdOf(s), s)).DistinctBy(s => s.Id).ToDictionary(s => s.Id);
    }

    public IReadOnlyCollection<WebStyle> Styles => _styles.Values.ToList();

    /// <summary>Every path this site serves, for a static copy.</summary>
    public IEnumerable<string> Paths =>
        PageFiles.Select(f => "/" + f).Concat(RuntimeFiles.Select(f => "/ort/" + f)).Concat(["/styles.json", "/LICENSES.txt"])
            .Concat(_styles.Keys.SelectMany(id => new[] { $"/models/{id}.onnx", $"/thumbs/{id}.png" }))
            .Concat(_paintings ? ["/arbitrary/predictor.onnx", "/arbitrary/transformer.onnx"] : []);

    public WebFile? Get(string path)
    {
        if (path is "/" or "") path = "/index.html";
        var slash = path.LastIndexOf('/');
        var (folder, name) = (path[..(slash + 1)], path[(slash + 1)..]);
        switch (folder)
        {
            case "/" when PageFiles.Contains(name): return new WebFile(File.ReadAllBytes(Path.Combine(_page, name)), TypeOf(name));
            case "/ort/" when RuntimeFiles.Contains(name): return new WebFile(File.ReadAllBytes(Path.Combine(_runtime, name)), TypeOf(name));
            case "/" when name == "styles.json": return new WebFile(Encoding.UTF8.GetBytes(StylesJson()), "application/json");
            case "/" when name == "LICENSES.txt": return new WebFile(Encoding.UTF8.GetBytes(Licences()), "text/plain; charset=utf-8");
            case "/models/" when name.EndsWith(".onnx", StringComparison.Ordinal) && _styles.TryGetValue(name[..^5], out var model):
                return new WebFile(Remembered($"model-{model.Id}", () => Export(model)), "application/octet-stream");
            case "/thumbs/" when name.EndsWith(".png", StringComparison.Ordinal) && _styles.TryGetValue(name[..^4], out var thumb):
                return new WebFile(Made($"thumb-{thumb.Id}", "png", () => Thumbnail(thumb)), "image/png");
            case "/arbitrary/" when _paintings && name is "predictor.onnx" or "transformer.onnx":
                return new WebFile(Made($"arbitrary-{name[..^5]}", "onnx", () => Arbitrary(name)), "application/octet-stream");
            default: return null;
        }
    }

    /// <summary>A URL-safe id for what -m names: a catalog name as it is (":" becomes "-"), a file by its stem and a hash of its path.</summary>
    public static string IdOf(string nameOrPath)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(nameOrPath.TrimEnd('/')).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-').ToArray());
        if (!File.Exists(nameOrPath) && !Directory.Exists(nameOrPath)) return nameOrPath.Replace(':', '-');
        return $"{stem}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(nameOrPath))))[..8]}";
    }

    private string StylesJson() => JsonSerializer.Serialize(new
    {
        styles = _styles.Values.Select(s => new { id = s.Id, name = DisplayName(s), model = $"models/{s.Id}.onnx", thumbnail = $"thumbs/{s.Id}.png" }),
        paintings = _paintings ? new { predictor = "arbitrary/predictor.onnx", transformer = "arbitrary/transformer.onnx", size = _loader.Painting.Size } : null,
        licences = "LICENSES.txt",
    });

    private static string DisplayName(WebStyle style) => File.Exists(style.Name) || Directory.Exists(style.Name) ? Path.GetFileNameWithoutExtension(style.Name.TrimEnd('/')) : style.Name;

    /// <summary>Made once per server.</summary>
    private byte[] Remembered(string key, Func<byte[]> make) => _made.GetOrAdd(key, _ => new Lazy<byte[]>(make)).Value;

    /// <summary>Made once per server, and kept on disk beside the model cache, keyed by what it was made from.</summary>
    private byte[] Made(string key, string extension, Func<byte[]> make) => Remembered(key, () => _cache.GetOrAdd($"{key}-{SourceStamp(key)}", extension, make));

    /// <summary>What a cached file depends on: the source's path, size and time for files; the version of LiveStyle for everything.</summary>
    private string SourceStamp(string key)
    {
        var id = key[(key.IndexOf('-') + 1)..];
        var name = _styles.TryGetValue(id, out var s) ? s.Name : id;
        var stamp = typeof(WebSite).Assembly.GetName().Version + "|" + name + "|" + _loader.Painting.Size;
        if (File.Exists(name)) stamp += $"|{new FileInfo(name).Length}|{File.GetLastWriteTimeUtc(name).Ticks}";
        else if (Directory.Exists(name)) stamp += string.Concat(Directory.GetFiles(name).Order().Select(f => $"|{f}|{new FileInfo(f).Length}|{File.GetLastWriteTimeUtc(f).Ticks}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)))[..12];
    }

    private byte[] Export(WebStyle style)
    {
        var weights = _loader.WeightsAsync(style.Name, CancellationToken.None).GetAwaiter().GetResult();
        weights = weights with { Info = weights.Info with { Licence = _loader.LicenceOf(style.Name, weights.Info.Licence) } };
        return ExportedGraphs.In(_loader.Store).Of(weights);
    }

    private byte[] Thumbnail(WebStyle style)
    {
        using var model = StyleModel.FromWeights(_loader.WeightsAsync(style.Name, CancellationToken.None).GetAwaiter().GetResult(), Device.Cpu, Precision.Fp32);
        using var journey = new StillJourney(model);
        return ImageCodec.Encode(journey.Stylize(SampleScene.Draw(96, 72)), ".png");
    }

    private byte[] Arbitrary(string name)
    {
        var networks = _loader.PaintingsAsync(CancellationToken.None).GetAwaiter().GetResult().Networks;
        return OnnxWire.Encode(name == "predictor.onnx" ? networks.PredictorOnnx() : OnnxExport.ConditionalTransformer(networks.Transformer, networks.Licence));
    }

    private string Licences()
    {
        var text = new StringBuilder("Licences of what this page runs\n\n");
        text.AppendLine("The page (index.html, app.js, app.css): LiveStyle, MIT.");
        text.AppendLine("ONNX Runtime Web (ort/): Copyright (c) Microsoft Corporation, MIT License.");
        foreach (var style in _styles.Values)
            text.AppendLine($"{DisplayName(style)} (models/{style.Id}.onnx): {_loader.LicenceOf(style.Name, "")}");
        if (_paintings) text.AppendLine("Magenta's arbitrary image stylization (arbitrary/): Apache License 2.0 (Google); a painting dropped onto the page stays on the visitor's device.");
        return text.ToString();
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".wasm" => "application/wasm",
        _ => "application/octet-stream",
    };
}
