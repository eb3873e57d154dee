using System.CommandLine;
using CsPyLive.Live;

namespace CsPyLive.Cli;

/// <summary><c>cspylive devices</c>: every backend's devices, the defaults marked.</summary>
internal static class DevicesCommand
{
    public static Command Create(HostConfig host)
    {
        var command = new Command("devices", "List the audio devices of every backend (JACK, ASIO, PortAudio, null), the defaults marked with '*'.");
        command.SetAction(_ =>
        {
            foreach (var line in DeviceList.Describe(host)) Console.WriteLine(line);
            return 0;
        });
        return command;
    }
}
