using System.CommandLine;
using LiveStyle.Files;
using LiveStyle.Pipeline.Web;
using LiveStyle.Render.Http;
using LiveStyle.Render.Web;

namespace LiveStyle.Cli.Commands;

/// <summary>
/// `livestyle web`: a page where each visitor's own camera is stylized in the visitor's browser (ONNX Runtime Web);
/// `web export`: the same page as a static folder any host can serve.
/// </summary>
public static class WebCommand
{
    public static Command Create()
    {
        var models = Styles();
        var noPaintings = NoPaintings();
        var painting = CommonOptions.Painting();
        var host = new Option<string>("--host") { Description = "Address to serve on (beyond this machine needs --allow-remote)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to serve on", DefaultValueFactory = _ => 8090 }.Within(1, 65535);
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Serve beyond this machine (every URL then needs the token printed at start)" };
        var command = new Command("web", "Serve a page where each visitor's own camera is stylized on the visitor's own device (ONNX Runtime Web: WebGPU, else WebAssembly); no frame leaves it")
        {
            models, noPaintings, painting.Size, host, port, allowRemote,
        };
        command.Subcommands.Add(Export());
        command.SetAction(async (parse, cancel) =>
        {
            var address = parse.GetValue(host)!;
            HttpAccess.CheckHost(address, parse.GetValue(allowRemote), $"--host {address}");
            using var loader = ModelLoading.Loader(painting.Parse(parse));
            var site = Site(parse.GetValue(models), !parse.GetValue(noPaintings), loader);
            using var server = new WebServer(address, parse.GetValue(port), HttpAccess.Token(parse.GetValue(allowRemote)), site, Terminal.Notice);
            Console.WriteLine(server.Url);
            Terminal.Notice($"serving {site.Styles.Count} styles{(parse.GetValue(noPaintings) ? "" : " and paintings")} until Ctrl+C; visitors' frames stay in their browsers");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            return 0;
        });
        return command;
    }

    private static Command Export()
    {
        var models = Styles();
        var noPaintings = NoPaintings();
        var painting = CommonOptions.Painting();
        var output = new Option<string>("--output", "-o") { Description = "The folder to write the site into", Required = true };
        var force = CommonOptions.Force();
        var command = new Command("export", "Write the page as a static folder (HTML, JavaScript, ONNX Runtime Web, the styles as ONNX, their licences) for any static host")
        {
            models, noPaintings, painting.Size, output, force,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var target = parse.GetValue(output)!;
            if (File.Exists(target)) throw new CliException($"{target} is a file; the site needs a folder");
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !parse.GetValue(force))
                throw new CliException($"{target} is not empty (use --force to write into it)");
            using var loader = ModelLoading.Loader(painting.Parse(parse));
            var site = Site(parse.GetValue(models), !parse.GetValue(noPaintings), loader);
            var paths = site.Paths.ToList();
            await Terminal.WithProgressAsync($"exporting the site to {target}", paths.Count, report =>
            {
                for (var i = 0; i < paths.Count; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    var file = site.Get(paths[i]) ?? throw new InvalidOperationException($"the site lists {paths[i]} but has no file for it");
                    var path = Path.Combine(target, paths[i].TrimStart('/'));
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    AtomicFile.WriteAllBytes(path, file.Bytes, overwrite: true);
                    report(i + 1);
                }
                // Static hosts that read a _headers file (Netlify, Cloudflare Pages) send the page's security and isolation headers.
                AtomicFile.WriteAllBytes(Path.Combine(target, "_headers"),
                    System.Text.Encoding.UTF8.GetBytes("/*\n" + string.Concat(WebServer.Headers.Select(h => $"  {h.Key}: {h.Value}\n"))), overwrite: true);
                return Task.FromResult(0);
            });
            Console.WriteLine($"{target}\t{site.Styles.Count} styles, {paths.Count} files");
            return 0;
        });
        return command;
    }

    private static Option<string> Styles() => new("--model", "-m")
    {
        Description = "Comma-separated styles to offer (names, files or paintings; default: every catalog style)",
    };

    private static Option<bool> NoPaintings() => new("--no-paintings") { Description = "Do not offer Magenta's networks (a painting dropped onto the page then does nothing)" };

    private static WebSite Site(string? models, bool paintings, Pipeline.Styles.StyleLoader loader)
    {
        var names = models?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? loader.Store.Catalog.Names.ToArray();
        if (names.Length == 0) throw new CliException("--model names no style");
        var folder = Path.Combine(AppContext.BaseDirectory, "web");
        try { return new WebSite(Path.Combine(folder, "site"), Path.Combine(folder, "ort"), names, loader, paintings); }
        catch (FileNotFoundException e) { throw new CliException(e.Message); }
    }
}
