using System.Diagnostics;
using LiveStyle.Media.Images;

namespace LiveStyle.Tests.Support;

/// <summary>Debian's headless Chromium with a fresh profile, taking a screenshot of a page.</summary>
public static class Chromium
{
    public static Image Screenshot(string url, string png, int width, int height)
    {
        var profile = Path.Combine(Path.GetTempPath(), "livestyle-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var info = new ProcessStartInfo("chromium") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", $"--window-size={width},{height}",
                         "--timeout=4000", $"--screenshot={png}", url,
                     })
                info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var err = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) p.Kill(entireProcessTree: true);
            Assert.True(File.Exists(png), $"chromium made no screenshot: {err.Result}");
            return ImageCodec.Read(png);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
