using System.Text.Json;
using CsPyLive.Python.Reload;

namespace CsPyLive.Live;

/// <summary>What a live run measured, written by <c>--stats</c> as JSON when the run ends.</summary>
public sealed record LiveStats
{
    public long Callbacks { get; init; }
    public long Xruns { get; init; }
    public int Period { get; init; }
    public int SampleRate { get; init; }
    public double MaxCallbackMicroseconds { get; init; }
    public double P99CallbackMicroseconds { get; init; }
    public double P50CallbackMicroseconds { get; init; }
    public IReadOnlyList<ReloadRecord> Reloads { get; init; } = [];

    /// <summary>
    /// Methods the JIT compiled on the audio thread from the start of its first callback to its last one (its
    /// own first callback's set-up included): each is a stall of a millisecond or so. 0 when <see cref="RealtimeCode"/>
    /// covers everything the patch ran there.
    /// </summary>
    public long AudioThreadJitMethods { get; init; }
    public long OscReceived { get; init; }
    public long OscDropped { get; init; }
    public long MidiReceived { get; init; }
    /// <summary>MIDI notes started and not released (at the end of a show: stuck notes, if the sender released them all).</summary>
    public int MidiNotesSounding { get; init; }
    /// <summary>The process's resident memory when measured, in MB.</summary>
    public double ResidentMegabytes { get; init; }
    public long GcCollections { get; init; }
    public double SecondsPlayed { get; init; }
    public string Backend { get; init; } = "";
    /// <summary>The device played on: the JACK client, the sound card, the ASIO driver; empty for none.</summary>
    public string Device { get; init; } = "";
    public long MessagesDropped { get; init; }
    public long ActionsDropped { get; init; }

    /// <summary>
    /// True when the audio thread was still inside a callback after the backend stopped (it waited
    /// <see cref="Audio.IAudioBackend.StopWait"/>): something the orchestra called, such as Python blocked in a C
    /// call, never returned.
    /// </summary>
    public bool AudioThreadStuck { get; init; }

    /// <summary>From the process's start to the first callback, in ms (null: no callback); the goal is 150 ms (issue 15).</summary>
    public double? StartupMilliseconds { get; init; }

    /// <summary><c>native-aot</c> (nothing is compiled at run time) or <c>jit</c>.</summary>
    public string Runtime { get; init; } = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "jit" : "native-aot";

    /// <summary>The show second by second (<see cref="ShowTimeline"/>); empty in a snapshot taken while it plays.</summary>
    public IReadOnlyList<TimelineRow> Timeline { get; init; } = [];

    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("backend", Backend);
        w.WriteString("device", Device);
        w.WriteNumber("callbacks", Callbacks);
        w.WriteNumber("xruns", Xruns);
        w.WriteNumber("period", Period);
        w.WriteNumber("sample_rate", SampleRate);
        w.WriteNumber("seconds_played", Math.Round(SecondsPlayed, 3));
        w.WriteNumber("max_callback_us", MaxCallbackMicroseconds);
        w.WriteNumber("p99_callback_us", P99CallbackMicroseconds);
        w.WriteNumber("p50_callback_us", P50CallbackMicroseconds);
        w.WriteStartArray("reloads");
        foreach (var r in Reloads)
        {
            w.WriteStartObject();
            w.WriteString("file", r.File);
            w.WriteBoolean("ok", r.Ok);
            if (r.Error is null) w.WriteNull("error"); else w.WriteString("error", r.Error);
            w.WriteNumber("stall_us", Math.Round(r.StallMicroseconds, 1));
            w.WriteNumber("save_to_live_ms", Math.Round(r.SaveToLiveMilliseconds, 2));
            w.WriteNumber("at_s", Math.Round(r.AtSeconds, 3));
            w.WriteString("applied_in", r.AppliedIn);
            if (r.RolledBack is null) w.WriteNull("rolled_back"); else w.WriteString("rolled_back", r.RolledBack);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("osc_received", OscReceived);
        w.WriteNumber("osc_dropped", OscDropped);
        w.WriteNumber("midi_received", MidiReceived);
        w.WriteNumber("midi_notes_sounding", MidiNotesSounding);
        w.WriteNumber("rss_mb", Math.Round(ResidentMegabytes, 1));
        w.WriteNumber("gc_collections", GcCollections);
        w.WriteNumber("audio_thread_jit_methods", AudioThreadJitMethods);
        w.WriteNumber("messages_dropped", MessagesDropped);
        w.WriteNumber("actions_dropped", ActionsDropped);
        w.WriteBoolean("audio_thread_stuck", AudioThreadStuck);
        if (StartupMilliseconds is { } startup) w.WriteNumber("startup_ms", Math.Round(startup, 1)); else w.WriteNull("startup_ms");
        w.WriteString("runtime", Runtime);
        WriteTimeline(w);
        w.WriteEndObject();
    }

    /// <summary><c>"timeline": [{"t":0,"load_mean":..,"load_peak":..,"xruns":..,"peak_dbfs":..,"osc":..,"midi":..,"events":[..]}, ...]</c>.</summary>
    private void WriteTimeline(Utf8JsonWriter w)
    {
        w.WriteStartArray("timeline");
        foreach (var row in Timeline)
        {
            w.WriteStartObject();
            w.WriteNumber("t", row.Second);
            w.WriteNumber("load_mean", Math.Round(row.LoadMean, 4));
            w.WriteNumber("load_peak", Math.Round(row.LoadPeak, 4));
            w.WriteNumber("xruns", row.Xruns);
            if (row.PeakDbfs is { } db) w.WriteNumber("peak_dbfs", Math.Round(db, 1)); else w.WriteNull("peak_dbfs");
            w.WriteNumber("osc", row.Osc);
            w.WriteNumber("midi", row.Midi);
            w.WriteStartArray("events");
            foreach (var e in row.Events) w.WriteStringValue(e);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
