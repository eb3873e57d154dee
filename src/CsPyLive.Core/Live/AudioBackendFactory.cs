using System.Runtime.Versioning;
using CsPyLive.Audio;
using CsPyLive.Audio.Asio;
using CsPyLive.Audio.Jack;
using CsPyLive.Audio.Null;
using CsPyLive.Audio.Offline;
using CsPyLive.Audio.PortAudio;

namespace CsPyLive.Live;

/// <summary>A backend, and why it was chosen when the show asked for <c>auto</c> (null when it was asked for by name).</summary>
public readonly record struct BackendChoice(IAudioBackend Backend, string? Reason);

/// <summary>
/// Opens the backend a show asks for. <c>auto</c> tries, in order: JACK when a server runs (none is started), ASIO on
/// Windows when a driver is installed, PortAudio's output device (the default, or <c>--device</c>), and the null
/// clock, saying why it took the one it took. A backend asked for by name that cannot open throws (no server, no
/// such device, a wrong rate, a device busy). Control thread.
/// </summary>
public static class AudioBackendFactory
{
    /// <param name="options">What the show asked for: the backend, the device, the period, JACK's client.</param>
    /// <param name="sampleRate">The orchestra's sr: a device at another rate is refused.</param>
    /// <param name="outputChannels">The orchestra's nchnls.</param>
    /// <param name="inputChannels">The live input channels the orchestra asks for (0 without -iadc).</param>
    /// <param name="log">Where a backend reports what happens to its device while playing (a server gone, a driver
    /// reset): called from the backend's own threads.</param>
    public static BackendChoice Open(ShowOptions options, int sampleRate, int outputChannels, int inputChannels, Action<string> log)
    {
        var jack = options.Jack with { Log = log };
        var portAudio = new PortAudioOptions { Device = options.Device, PeriodFrames = options.Period, JackClientName = options.Jack.ClientName };
        switch (options.Audio)
        {
            case "offline":
                var (path, format) = options.Output ?? throw new ArgumentException("offline needs an output file", nameof(options));
                long? frames = options.Duration is { } d ? (long)Math.Round(d * sampleRate) : null;
                return new(new OfflineAudioBackend(path, sampleRate, outputChannels, format, frames), null);
            case "null":
                return new(Null(), null);
            case "jack":
                return new(new JackAudioBackend(sampleRate, outputChannels, inputChannels, jack), null);
            case "portaudio":
                return new(new PortAudioBackend(sampleRate, outputChannels, inputChannels, portAudio, log), null);
            case "asio":
                return new(Asio(), null);
        }

        // auto
        string jackReason;
        if (!JackAudioBackend.LibraryAvailable()) jackReason = "libjack is not installed";
        else
        {
            try
            {
                return new(new JackAudioBackend(sampleRate, outputChannels, inputChannels, jack), "a JACK server is running: playing through it");
            }
            catch (JackServerUnavailableException)
            {
                jackReason = "no JACK server is running";
            }
        }
        var others = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return new(Asio(), $"{jackReason}; playing through ASIO");
            }
            catch (Exception e) when (e is AudioDeviceException or DllNotFoundException or System.Runtime.InteropServices.COMException)
            {
                others.Add("ASIO: " + e.Message);
            }
        }
        if (PortAudioBackend.LibraryAvailable())
        {
            try
            {
                var backend = new PortAudioBackend(sampleRate, outputChannels, inputChannels, portAudio, log);
                return new(backend, $"{jackReason}; playing through PortAudio's {(options.Device is null ? "default output device" : "device")}");
            }
            catch (AudioDeviceException e)
            {
                others.Add(e.Message);
            }
        }
        else
        {
            others.Add("PortAudio is not installed");
        }
        return new(Null(), $"{jackReason}; using the null backend (a real-time clock, no device)" +
            (others.Count == 0 ? "" : " because " + string.Join("; ", others)));

        IAudioBackend Null() => new NullAudioBackend(sampleRate, options.Period, outputChannels, inputChannels);

        IAudioBackend Asio() => OperatingSystem.IsWindows()
            ? OpenAsio(options, sampleRate, outputChannels, inputChannels, log)
            : throw new AudioDeviceException("ASIO needs Windows");
    }

    [SupportedOSPlatform("windows")]
    private static IAudioBackend OpenAsio(ShowOptions options, int sampleRate, int outputChannels, int inputChannels, Action<string> log)
    {
        var names = NAudioAsioDriver.DriverNames();
        var name = options.Device ?? names.FirstOrDefault() ?? throw new AudioDeviceException("no ASIO driver is installed");
        if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new AudioDeviceException($"no ASIO driver is called '{name}'; there are: {(names.Length == 0 ? "none" : string.Join(", ", names))}");
        return new AsioAudioBackend(sampleRate, outputChannels, inputChannels, () => new NAudioAsioDriver(name), log);
    }
}
