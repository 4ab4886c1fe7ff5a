using System.Collections.Concurrent;
using System.Security.Cryptography;
using LiveStyle.Media.Images;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Onnx;
using LiveStyle.Models.Store;

namespace LiveStyle.Pipeline.Live;

/// <summary>
/// Watches a folder for paintings: an image file that appears (copied, saved or dropped in) is read once it has
/// stopped growing and handed on to become a style. Files being written are retried until they read or two
/// seconds pass without change; each is taken once. Runs on one thread of its own.
/// </summary>
public sealed class PaintingFolder : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly BlockingCollection<string> _arrived = new(boundedCapacity: 256);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly Action<Image, string, string> _add;
    private readonly Action<string> _notice;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <param name="add">Takes the painting, its name and its file's SHA-256 (on this folder's thread).</param>
    public PaintingFolder(string folder, Action<Image, string, string> add, Action<string> notice)
    {
        if (!Directory.Exists(folder)) throw new ImageException($"paintings folder {folder} does not exist");
        Folder = folder;
        (_add, _notice) = (add, notice);
        _watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Created += (_, e) => Arrived(e.FullPath);
        _watcher.Renamed += (_, e) => Arrived(e.FullPath);
        _watcher.Changed += (_, e) => Arrived(e.FullPath);
        _watcher.EnableRaisingEvents = true;
        _thread = new Thread(Take) { Name = "paintings", IsBackground = true };
        _thread.Start();
    }

    public string Folder { get; }

    private void Arrived(string path)
    {
        if (ImageCodec.IsImagePath(path) && !Path.GetFileName(path).StartsWith('.')) _arrived.TryAdd(path);
    }

    private void Take()
    {
        try
        {
            foreach (var path in _arrived.GetConsumingEnumerable(_stop.Token))
            {
                if (_taken.Contains(path)) continue;
                if (ReadWhenComplete(path) is not { } painting) continue;
                _taken.Add(path);
                try { _add(painting.Image, Path.GetFileNameWithoutExtension(path), painting.Sha256); }
                catch (Exception e) when (e is ImageException or ModelFormatException or InferenceException or StoreException or ArgumentException or InvalidOperationException)
                {
                    _notice($"painting {Path.GetFileName(path)} could not become a style: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>The image once its file stops changing and decodes; null (with a notice) when it never does.</summary>
    private (Image Image, string Sha256)? ReadWhenComplete(string path)
    {
        var (lastSize, lastChange) = (-1L, DateTime.UtcNow);
        string? problem = null;
        while (DateTime.UtcNow - lastChange < TimeSpan.FromSeconds(2) && !_stop.IsCancellationRequested)
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            if (info.Length != lastSize)
            {
                (lastSize, lastChange) = (info.Length, DateTime.UtcNow);
                Thread.Sleep(30);
                continue;
            }
            try
            {
                var image = ImageCodec.Read(path);
                using var file = File.OpenRead(path);
                return (image, Convert.ToHexStringLower(SHA256.HashData(file)));
            }
            catch (Exception e) when (e is ImageException or IOException or UnauthorizedAccessException)
            {
                problem = e.Message;
                Thread.Sleep(50);
            }
        }
        if (problem != null) _notice($"painting {Path.GetFileName(path)} is not a readable image: {problem}");
        return null;
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _stop.Cancel();
        _thread.Join();
        _arrived.Dispose();
        _stop.Dispose();
    }
}
