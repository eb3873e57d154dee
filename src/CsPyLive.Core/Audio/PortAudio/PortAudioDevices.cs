using System.Runtime.InteropServices;
using CsPyLive.Audio.PortAudio.Interop;
using static CsPyLive.Audio.PortAudio.Interop.PortAudio;

namespace CsPyLive.Audio.PortAudio;

/// <summary>One PortAudio device as <c>cspylive devices</c> shows it.</summary>
/// <param name="Index">PortAudio's device index (what <c>--device N</c> takes).</param>
/// <param name="Name">The device's name (what <c>--device NAME</c> takes).</param>
/// <param name="HostApi">The host API it belongs to: ALSA, JACK Audio Connection Kit, Core Audio, Windows WASAPI...</param>
/// <param name="InputChannels">Its most input channels.</param>
/// <param name="OutputChannels">Its most output channels.</param>
/// <param name="DefaultSampleRate">The rate it runs at unless asked otherwise.</param>
/// <param name="BufferFrames">The device's low and high default latencies as frames at its default rate: the buffer sizes it suggests.</param>
/// <param name="IsDefaultOutput">PortAudio's default output device.</param>
/// <param name="IsDefaultInput">PortAudio's default input device.</param>
/// <param name="HostApiType">PortAudio's <c>PaHostApiTypeId</c> (paJACK, paALSA, paCoreAudio...).</param>
public sealed record PortAudioDevice(int Index, string Name, string HostApi, int InputChannels, int OutputChannels,
    double DefaultSampleRate, (int Low, int High) BufferFrames, bool IsDefaultOutput, bool IsDefaultInput, int HostApiType);

/// <summary>
/// PortAudio's library session and device list. PortAudio must be initialised while anything uses it, and it scans
/// devices only at initialisation: <see cref="Open"/> is counted, so every user holds its own session, and the list
/// is as fresh as the first of them. Control threads only.
/// </summary>
public sealed unsafe class PortAudioSession : IDisposable
{
    private static readonly object Gate = new();
    private static nint clientName;
    private bool open;

    private PortAudioSession() => open = true;

    /// <summary>
    /// Initialises PortAudio (its JACK host API, where there is one, as client <paramref name="jackClientName"/>; the
    /// first session's name stays). Throws <see cref="DllNotFoundException"/> without the library,
    /// <see cref="AudioDeviceException"/> when it does not initialise.
    /// </summary>
    public static PortAudioSession Open(string jackClientName = "cspylive")
    {
        lock (Gate)
        {
            if (clientName == 0)
            {
                AlsaErrors.Silence(); // PortAudio's ALSA scan would print dozens of lines about cards that do not exist
                clientName = Marshal.StringToCoTaskMemUTF8(jackClientName); // PortAudio keeps the pointer: it lives for the process
                PaJack_SetClientName((byte*)clientName);
            }
            var error = Pa_Initialize();
            if (error != paNoError) throw new AudioDeviceException($"PortAudio did not start: {ErrorText(error)}");
            return new PortAudioSession();
        }
    }

    /// <summary>PortAudio's version text, e.g. "PortAudio V19.6.0-devel, revision 396fe4b6699ae929d3a685b3ef8a7e97396139a4".</summary>
    public static string Version => Utf8(Pa_GetVersionText()) ?? "?";

    /// <summary>Every device of every host API, in PortAudio's order.</summary>
    public IReadOnlyList<PortAudioDevice> Devices()
    {
        var devices = new List<PortAudioDevice>();
        var defaultOut = Pa_GetDefaultOutputDevice();
        var defaultIn = Pa_GetDefaultInputDevice();
        for (var i = 0; i < Pa_GetDeviceCount(); i++)
        {
            var d = Pa_GetDeviceInfo(i);
            if (d == null) continue;
            var api = Pa_GetHostApiInfo(d->hostApi);
            var rate = d->defaultSampleRate;
            var low = Math.Min(d->defaultLowOutputLatency > 0 ? d->defaultLowOutputLatency : d->defaultLowInputLatency, double.MaxValue);
            var high = d->defaultHighOutputLatency > 0 ? d->defaultHighOutputLatency : d->defaultHighInputLatency;
            devices.Add(new PortAudioDevice(i, Utf8(d->name) ?? $"device {i}", api == null ? "?" : Utf8(api->name) ?? "?",
                d->maxInputChannels, d->maxOutputChannels, rate, ((int)Math.Round(low * rate), (int)Math.Round(high * rate)),
                i == defaultOut, i == defaultIn, api == null ? 0 : api->type));
        }
        return devices;
    }

    /// <summary>
    /// The device <paramref name="nameOrIndex"/> names: an index, or a name (exact, else the one device whose name
    /// contains it, ignoring case); null: the default output device. Throws <see cref="AudioDeviceException"/> listing
    /// the devices that exist when none or several fit.
    /// </summary>
    public PortAudioDevice Find(string? nameOrIndex)
    {
        var devices = Devices();
        var outputs = devices.Where(d => d.OutputChannels > 0).ToList();
        if (nameOrIndex is null)
            return devices.FirstOrDefault(d => d.IsDefaultOutput)
                ?? throw new AudioDeviceException("PortAudio has no default output device" + Listing(outputs));
        if (int.TryParse(nameOrIndex, out var index))
            return devices.FirstOrDefault(d => d.Index == index)
                ?? throw new AudioDeviceException($"there is no PortAudio device {index}" + Listing(outputs));
        var exact = devices.Where(d => string.Equals(d.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase)).ToList();
        var matches = exact.Count > 0 ? exact : devices.Where(d => d.Name.Contains(nameOrIndex, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new AudioDeviceException($"no PortAudio device is called '{nameOrIndex}'" + Listing(outputs)),
            _ => throw new AudioDeviceException($"several PortAudio devices match '{nameOrIndex}'; give its number" + Listing(matches)),
        };
    }

    private static string Listing(IReadOnlyList<PortAudioDevice> devices) =>
        devices.Count == 0 ? ": it finds none on this machine" : "; there are:\n" + string.Join('\n', devices.Select(d => $"  {d.Index}: {d.Name} ({d.HostApi}, {d.OutputChannels} out)"));

    public void Dispose()
    {
        lock (Gate)
        {
            if (!open) return;
            open = false;
            Pa_Terminate();
        }
    }
}
