using System.Globalization;
using CsPyLive.Audio;
using CsPyLive.Audio.Asio;
using CsPyLive.Audio.Jack;
using CsPyLive.Audio.PortAudio;

namespace CsPyLive.Live;

/// <summary>
/// Every backend's devices, as <c>cspylive devices</c> prints them: channels, rates, buffer sizes and host API, the
/// defaults marked with '*', and a plain sentence where a backend has none. Control thread; opens nothing for long
/// (a JACK probe client, a PortAudio session, each closed again).
/// </summary>
public static class DeviceList
{
    public static IReadOnlyList<string> Describe(HostConfig host)
    {
        var lines = new List<string> { "jack (--audio jack):" };
        if (!JackAudioBackend.LibraryAvailable()) lines.Add("  libjack is not installed");
        else if (JackAudioBackend.Probe(host.Audio.JackClient + "-devices") is not { } jack)
            lines.Add("  no JACK server is running (start one with jackd or qjackctl; cspylive never starts one)");
        else
            lines.Add($"  * server '{jack.Server}': {jack.SampleRate} Hz, {jack.PeriodFrames} frames a period " +
                $"({Ms(jack.PeriodFrames, jack.SampleRate)} ms); {jack.Playback.Count} playback, {jack.Capture.Count} capture, " +
                $"{jack.MidiSources.Count} MIDI source port(s)");

        lines.Add("asio (--audio asio --device NAME):");
        if (!OperatingSystem.IsWindows()) lines.Add("  ASIO needs Windows");
        else AddAsio(lines);

        lines.Add("portaudio (--audio portaudio --device NAME|NUMBER):");
        if (!PortAudioBackend.LibraryAvailable()) lines.Add("  PortAudio is not installed (Debian: apt-get install libportaudio2)");
        else AddPortAudio(lines, host.Audio.JackClient);

        lines.Add("null (--audio null):");
        lines.Add("  * a real-time clock with no device, always there (auto falls back to it and records to recordings/)");
        return lines;
    }

    private static void AddPortAudio(List<string> lines, string jackClient)
    {
        try
        {
            using var session = PortAudioSession.Open(jackClient);
            var devices = session.Devices();
            lines[^1] = $"portaudio (--audio portaudio --device NAME|NUMBER; {PortAudioSession.Version}):";
            if (devices.Count == 0) lines.Add("  PortAudio finds no audio device on this machine");
            foreach (var d in devices)
                lines.Add($"  {(d.IsDefaultOutput ? "*" : " ")}{d.Index,3}: {d.Name} ({d.HostApi}): {d.InputChannels} in, " +
                    $"{d.OutputChannels} out, {d.DefaultSampleRate:0} Hz, buffers {d.BufferFrames.Low}..{d.BufferFrames.High} frames" +
                    (d.IsDefaultInput ? " (default input)" : ""));
        }
        catch (AudioDeviceException e)
        {
            lines.Add("  " + e.Message);
        }
    }

    private static void AddAsio(List<string> lines)
    {
        if (!OperatingSystem.IsWindows()) return;
        string[] names;
        try { names = NAudioAsioDriver.DriverNames(); }
        catch (Exception e) { lines.Add("  cannot list ASIO drivers: " + e.Message); return; }
        if (names.Length == 0) lines.Add("  no ASIO driver is installed");
        for (var i = 0; i < names.Length; i++)
        {
            try
            {
                using var d = new NAudioAsioDriver(names[i]);
                var (min, preferred, max) = d.BufferSizes;
                lines.Add($"  {(i == 0 ? "*" : " ")} {d.Name}: {d.DriverInputChannels} in, {d.DriverOutputChannels} out, {d.SampleRate} Hz, " +
                    $"buffers {min}..{max} frames (prefers {preferred}), {d.OutputSampleType}");
            }
            catch (Exception e)
            {
                lines.Add($"    {names[i]}: cannot be opened ({e.Message})");
            }
        }
    }

    private static string Ms(int frames, int rate) => (1000.0 * frames / rate).ToString("0.0", CultureInfo.InvariantCulture);
}
