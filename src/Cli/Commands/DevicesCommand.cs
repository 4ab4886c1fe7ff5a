using System.CommandLine;
using LiveStyle.Capture.Devices;

namespace LiveStyle.Cli.Commands;

public static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List cameras (V4L2) with their pixel formats and sizes");
        command.SetAction(_ =>
        {
            var cameras = Cameras.List();
            if (cameras.Count == 0)
            {
                Console.WriteLine("no cameras found (no capture-capable /dev/video* device)");
                return 0;
            }
            foreach (var (camera, i) in cameras.Select((c, i) => (c, i)))
            {
                Console.WriteLine($"{camera.Path}\t{camera.Name} ({camera.Driver})\tuse: -i {camera.Path}");
                foreach (var mode in camera.Modes) Console.WriteLine($"    {mode}");
            }
            return 0;
        });
        return command;
    }
}
