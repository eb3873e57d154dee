using System.Runtime.InteropServices;
using static CsPyLive.Audio.Jack.Interop.Jack;

namespace CsPyLive.Bench;

/// <summary>
/// Measures MIDI-to-sound latency through a JACK client in one server timeline: a sender client writes a note-on at a
/// known server frame into the subject's MIDI input, a receiver client watches the subject's audio output for the
/// onset of a step-shaped note and notes its server frame. Two clients, so the graph runs sender → subject →
/// receiver within one cycle (one client doing both would make a feedback loop, which JACK breaks with a period's
/// delay). Latency = onset frame − note-on frame. The MIDI offset inside a period varies from note to note.
/// </summary>
internal sealed unsafe class MidiLatencyProbe : IDisposable
{
    private const int MaxNotes = 4096;
    private readonly nint sender, receiver, midiOut, audioIn;
    private readonly GCHandle self;
    private readonly long[] sent = new long[MaxNotes];
    private readonly long[] heard = new long[MaxNotes];
    private readonly int interval, noteLength;
    private int sentCount, heardCount;
    private long nextNote = -1, noteOffAt = -1;
    private bool high;

    public MidiLatencyProbe(int intervalFrames, int noteLengthFrames)
    {
        interval = intervalFrames;
        noteLength = noteLengthFrames;
        self = GCHandle.Alloc(this);
        int status;
        sender = jack_client_open("latency-send", JackNoStartServer, &status);
        receiver = jack_client_open("latency-hear", JackNoStartServer, &status);
        if (sender == 0 || receiver == 0) throw new InvalidOperationException($"no JACK server for the probe (status {status})");
        midiOut = jack_port_register(sender, "midi_out", JACK_DEFAULT_MIDI_TYPE, new CULong(JackPortIsOutput), new CULong(0));
        audioIn = jack_port_register(receiver, "in", JACK_DEFAULT_AUDIO_TYPE, new CULong(JackPortIsInput), new CULong(0));
        jack_set_process_callback(sender, &OnSend, GCHandle.ToIntPtr(self));
        jack_set_process_callback(receiver, &OnHear, GCHandle.ToIntPtr(self));
        if (jack_activate(sender) != 0 || jack_activate(receiver) != 0) throw new InvalidOperationException("the probe could not activate");
    }

    public const string MidiOutPort = "latency-send:midi_out";
    public const string AudioInPort = "latency-hear:in";

    /// <summary>Starts sending notes from the next cycle on (call once the connections are made).</summary>
    public void Start() => Volatile.Write(ref nextNote, 0);

    /// <summary>Latency of each note heard, in frames (note-on frame to the first frame of its onset).</summary>
    public List<long> Latencies()
    {
        var result = new List<long>();
        var h = 0;
        for (var i = 0; i < Volatile.Read(ref sentCount); i++)
        {
            while (h < heardCount && heard[h] < sent[i] - interval / 2) h++;
            if (h < heardCount && heard[h] < sent[i] + interval / 2) result.Add(heard[h] - sent[i]);
        }
        return result;
    }

    [UnmanagedCallersOnly]
    private static int OnSend(uint nframes, nint arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is not MidiLatencyProbe p) return 0;
        var buffer = jack_port_get_buffer(p.midiOut, nframes);
        jack_midi_clear_buffer(buffer);
        long start = jack_last_frame_time(p.sender);
        if (p.nextNote == 0) p.nextNote = start + nframes; // first note in the next cycle
        var end = start + nframes;
        var noteOn = stackalloc byte[3] { 0x90, 60, 100 };
        var noteOff = stackalloc byte[3] { 0x80, 60, 0 };
        if (p.noteOffAt >= start && p.noteOffAt < end)
        {
            jack_midi_event_write(buffer, (uint)(p.noteOffAt - start), noteOff, 3);
            p.noteOffAt = -1;
        }
        if (p.nextNote > 0 && p.nextNote >= start && p.nextNote < end && p.sentCount < MaxNotes)
        {
            jack_midi_event_write(buffer, (uint)(p.nextNote - start), noteOn, 3);
            p.sent[p.sentCount] = p.nextNote;
            Volatile.Write(ref p.sentCount, p.sentCount + 1);
            p.noteOffAt = p.nextNote + p.noteLength;
            p.nextNote += p.interval + 37; // a new offset inside the period each time
        }
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int OnHear(uint nframes, nint arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is not MidiLatencyProbe p) return 0;
        var input = (float*)jack_port_get_buffer(p.audioIn, nframes);
        long start = jack_last_frame_time(p.receiver);
        for (var i = 0; i < nframes; i++)
        {
            var v = input[i];
            if (!p.high && v > 0.1f)
            {
                p.high = true;
                if (p.heardCount < MaxNotes) p.heard[p.heardCount++] = start + i;
            }
            else if (p.high && v < 0.02f)
            {
                p.high = false;
            }
        }
        return 0;
    }

    public void Dispose()
    {
        jack_client_close(sender);
        jack_client_close(receiver);
        self.Free();
    }
}
