using System.ComponentModel;
using System.Diagnostics;

namespace LiveStyle.Media.Video;

/// <summary>
/// One ffmpeg or ffprobe child process: its pipes, and the tail of what it printed on stderr, kept
/// so a failure can be reported in one line. Disposing kills it if it is still running.
/// </summary>
public sealed class FfmpegProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Task _stderrPump;

    private FfmpegProcess(Process process)
    {
        _process = process;
        _stderrPump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                lock (_lastLines)
                {
                    if (string.IsNullOrWhiteSpace(line)) continue;
                    _lastLines.Enqueue(line.Trim());
                    if (_lastLines.Count > 20) _lastLines.Dequeue();
                }
        });
    }

    /// <summary>Starts the tool; <paramref name="lowPriority"/>: see <see cref="LowPriority"/>.</summary>
    public static FfmpegProcess Start(string tool, IEnumerable<string> args, bool stdin, bool stdout, bool lowPriority = false)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = stdin,
            RedirectStandardOutput = stdout,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            var process = Process.Start(info)!;
            if (lowPriority) LowPriority.Process(process.Id);
            return new FfmpegProcess(process);
        }
        catch (Win32Exception e) { throw new VideoException($"cannot run {tool} ({e.Message}); install FFmpeg (Debian package ffmpeg)", e); }
    }

    public Stream Input => _process.StandardInput.BaseStream;
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Waits for the exit and returns the exit code; stderr has been fully read by then.</summary>
    public int WaitForExit()
    {
        _process.WaitForExit();
        _stderrPump.Wait();
        return _process.ExitCode;
    }

    /// <summary>The most telling line FFmpeg printed: the last one naming an error, else the last one.</summary>
    public string LastError
    {
        get
        {
            lock (_lastLines)
            {
                var lines = _lastLines.ToArray();
                return lines.LastOrDefault(l => l.Contains("rror") || l.Contains("No space") || l.Contains("Invalid") || l.Contains("denied"))
                       ?? lines.LastOrDefault() ?? Stopped();
            }
        }
    }

    private string Stopped()
    {
        if (!_process.HasExited) return "no message";
        var code = _process.ExitCode;
        return code == 128 + 25 ? "FFmpeg was stopped by the file size limit (disk or quota full?)" : $"FFmpeg stopped with exit code {code}";
    }

    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
