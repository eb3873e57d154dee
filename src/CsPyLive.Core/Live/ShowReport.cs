using CsPyLive.Audio;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Python.Reload;

namespace CsPyLive.Live;

/// <summary>What a show says of itself: its first line, and its stats, each part reporting its own. Control thread.</summary>
internal static class ShowReport
{
    /// <summary>"playing X on the jack backend (48000 Hz, 256 frames a period, ksmps 64) as JACK client 'cspylive', MIDI in from ..., recording to .... Ctrl+C stops."</summary>
    public static string Describe(ShowOptions options, Engine engine, IAudioBackend backend, IReadOnlyList<IShowInput> inputs, Recorder? recorder)
    {
        var parts = new List<string>
        {
            $"playing {options.Patch.CsdPath} on the {backend.Name} backend ({backend.SampleRate} Hz, {backend.PeriodFrames} frames a period, " +
            $"ksmps {engine.Ksmps}){(backend.DeviceDescription.Length == 0 ? "" : " " + backend.DeviceDescription)}",
        };
        parts.AddRange(inputs.Select(i => i.Describe().Description));
        if (recorder is not null) parts.Add($"recording to {recorder.Path}");
        return string.Join(", ", parts) + ". Ctrl+C stops.";
    }

    /// <summary>
    /// From the process's start (the kernel's record of it, to 10 ms on Linux) to <paramref name="firstCallbackAt"/>:
    /// what a performer waits from Enter to sound, the runtime's own start included.
    /// </summary>
    private static double StartupMilliseconds(long firstCallbackAt)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var firstCallback = DateTime.Now - System.Diagnostics.Stopwatch.GetElapsedTime(firstCallbackAt);
        return (firstCallback - self.StartTime).TotalMilliseconds;
    }

    public static LiveStats Measure(Engine engine, IAudioBackend backend, ShowCallback callback,
        IReadOnlyList<IShowInput> inputs, ReloadService? reload, long collections)
    {
        var reports = inputs.Select(i => i.Describe()).ToArray();
        long Sum(InputKind kind, Func<InputReport, long> count) => reports.Where(r => r.Kind == kind).Sum(count);
        var times = callback.CallbackTimes;
        return new LiveStats
        {
            Backend = backend.Name, Device = backend.DeviceName, Xruns = backend.Xruns, Period = backend.PeriodFrames, SampleRate = backend.SampleRate,
            Callbacks = times.Count, MaxCallbackMicroseconds = times.MaxMicroseconds,
            P99CallbackMicroseconds = times.Percentile(0.99), P50CallbackMicroseconds = times.Percentile(0.50),
            SecondsPlayed = callback.FramesPlayed / (double)backend.SampleRate, AudioThreadJitMethods = callback.AudioThreadJitMethods,
            AudioThreadStuck = callback.CallbackStartedAt != 0, GcCollections = collections,
            MessagesDropped = engine.Messages.Dropped, ActionsDropped = engine.DroppedActions,
            Reloads = reload?.Reloader.Records ?? [],
            OscReceived = Sum(InputKind.Osc, r => r.Received), OscDropped = Sum(InputKind.Osc, r => r.Dropped),
            MidiReceived = Sum(InputKind.Midi, r => r.Received), MidiNotesSounding = (int)Sum(InputKind.Midi, r => r.NotesSounding),
            ResidentMegabytes = Environment.WorkingSet / 1048576.0,
            StartupMilliseconds = callback.FirstCallbackAt == 0 ? null : StartupMilliseconds(callback.FirstCallbackAt),
        };
    }
}
