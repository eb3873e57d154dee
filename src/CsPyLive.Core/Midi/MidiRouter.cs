using CsPyLive.Csound;
using CsPyLive.Inputs;

namespace CsPyLive.Midi;

/// <summary>
/// Plays MIDI as held score events on fractional instances, and turns controllers into control channels.
/// </summary>
/// <remarks>
/// <para>A note-on on channel C (1..16) starts <c>i p1 0 -1 note p5 [pfields]</c> with p1 = instrument + note/1000
/// (instrument C unless patch.yaml says otherwise; note 0 uses +0.128 so p1 stays fractional) and p5 the velocity
/// through the channel's curve (default: 0..127 as received). Its note-off releases exactly that instance
/// (csoundKillInstance mode 4 with release, so release envelopes play). A note-on for a note already sounding
/// releases the old instance first. While the sustain pedal (CC64 ≥ 64) is down, note-offs are held and released
/// when it comes up. CC123 (all notes off) and CC120 (all sound off) release the channel's notes now.</para>
/// <para>Control channels (written at the event's frame): <c>midi.C.ccN</c> = value/127 for every controller N
/// (the mod wheel is <c>midi.C.cc1</c>), <c>midi.C.bend</c> −1..1, <c>midi.C.pressure</c> 0..1 (channel
/// aftertouch), <c>midi.C.program</c> 0..127; plus any names patch.yaml gives a controller.</para>
/// <para>Threads: construct on a control thread (it creates every channel). <see cref="Send"/> from one thread at a
/// time (the audio thread for JACK input, the render thread for files); it allocates nothing and only enqueues
/// <see cref="TimedAction"/>s through the show's <see cref="ActionSink"/>. <see cref="ReleaseAll"/> from any thread.</para>
/// </remarks>
public sealed class MidiRouter : IMidiDestination
{
    /// <summary>p-fields a note may carry after p1..p5.</summary>
    public const int MaxExtraPFields = PFields.Capacity - 5;
    private const int Notes = 128;
    /// <summary>The most actions one message queues: a pedal lifted (or all notes off) releases up to every note of its channel.</summary>
    private const int MostActionsPerMessage = Notes + 2;
    private const int Channels = MidiChannel.Count;

    private readonly ActionSink sink;
    private readonly double[] instrument = new double[Channels];
    private readonly double[][] extraPFields = new double[Channels][];
    private readonly double[] velocity = new double[Channels * Notes];
    private readonly int[] ccSlot = new int[Channels * Notes];
    private readonly int[] ccAliasSlot = new int[Channels * Notes];
    private readonly bool[] ownAlias = new bool[Channels * Notes]; // a channel's own cc: entry, which learning leaves alone
    private readonly int[] bendSlot = new int[Channels];
    private readonly int[] pressureSlot = new int[Channels];
    private readonly int[] programSlot = new int[Channels];
    // Audio-side state (the Send thread only).
    private readonly bool[] sounding = new bool[Channels * Notes];
    private readonly bool[] sustained = new bool[Channels * Notes];
    private readonly bool[] pedalDown = new bool[Channels];
    private readonly bool[] instrumentUsed = new bool[Channels];
    private int panicPending;
    private long received;
    private long lastControl; // (count << 16) | (channel << 8) | controller, written by the audio thread
    private long lastNote;    // (count << 24) | (channel << 16) | (note << 8) | velocity (0: a release)

    /// <summary>
    /// The last controller moved: how many have moved so far (changes with each), its MIDI channel (1..16) and number.
    /// For MIDI learn; any thread.
    /// </summary>
    /// <summary>The last note played or released (velocity 0): for the dashboard; any thread.</summary>
    public (long Count, int Channel, int Note, int Velocity) LastNote
    {
        get
        {
            var v = Volatile.Read(ref lastNote);
            return (v >> 24, (int)((v >> 16) & 0xff) + 1, (int)((v >> 8) & 0xff), (int)(v & 0xff));
        }
    }

    /// <summary>MIDI channels whose sustain pedal is down; any thread.</summary>
    public int PedalsDown
    {
        get
        {
            var n = 0;
            for (var c = 0; c < Channels; c++) n += Volatile.Read(ref pedalDown[c]) ? 1 : 0; // a benign race: a display
            return n;
        }
    }

    public (long Count, int Channel, int Controller) LastControl
    {
        get
        {
            var v = Volatile.Read(ref lastControl);
            return (v >> 16, (int)((v >> 8) & 0xff) + 1, (int)(v & 0xff));
        }
    }

    /// <summary>
    /// MIDI learn: controller <paramref name="controller"/> on every MIDI channel (that has no alias of its own for it)
    /// also writes control channel <paramref name="channelSlot"/>, from its next move on. Control thread; the audio
    /// thread sees the new slot at its next read of it (an int written whole).
    /// </summary>
    public void Learn(int controller, int channelSlot)
    {
        for (var c = 0; c < Channels; c++)
            if (!ownAlias[c * Notes + controller]) Volatile.Write(ref ccAliasSlot[c * Notes + controller], channelSlot);
    }

    public MidiRouter(ActionSink sink, MidiConfig? config = null)
    {
        this.sink = sink;
        config ??= new MidiConfig();
        config.Validate();
        for (var c = 0; c < Channels; c++)
        {
            var number = c + 1;
            var cc = config.Channels.GetValueOrDefault(number);
            instrument[c] = cc?.Instrument ?? number;
            extraPFields[c] = cc?.Pfields ?? [];
            var curve = cc?.Velocity ?? new VelocityCurve();
            for (var v = 0; v < Notes; v++) velocity[c * Notes + v] = curve.Apply(v);
            for (var n = 0; n < Notes; n++)
            {
                ccSlot[c * Notes + n] = sink.ChannelSlot($"midi.{number}.cc{n}");
                ownAlias[c * Notes + n] = cc?.Cc.ContainsKey(n) == true;
                var alias = cc?.Cc.GetValueOrDefault(n) ?? config.Cc.GetValueOrDefault(n);
                ccAliasSlot[c * Notes + n] = alias is null ? -1 : sink.ChannelSlot(alias);
            }
            bendSlot[c] = sink.ChannelSlot($"midi.{number}.bend");
            pressureSlot[c] = sink.ChannelSlot($"midi.{number}.pressure");
            programSlot[c] = sink.ChannelSlot($"midi.{number}.program");
        }
    }

    public long Received => Interlocked.Read(ref received);

    public string Description => "the note router";

    public bool HasRoom => sink.Room >= MostActionsPerMessage;

    /// <summary>Notes on and not yet released (held by the pedal included): after a show, a count above 0 is a stuck note.</summary>
    public int NotesSounding
    {
        get
        {
            if (Volatile.Read(ref panicPending) != 0) return 0; // all released; the arrays are cleared at the next message
            var n = 0;
            foreach (var s in sounding) if (s) n++;
            return n;
        }
    }

    /// <summary>The p1 a note on a channel plays as: instrument + note/1000 (note 0: +0.128).</summary>
    public double InstanceOf(MidiChannel channel, int note) => instrument[channel.Index] + (note == 0 ? 128 : note) / 1000.0;

    public void Send(in MidiMessage message, long frame)
    {
        Interlocked.Increment(ref received);
        if (Volatile.Read(ref panicPending) != 0 && Interlocked.Exchange(ref panicPending, 0) != 0) ForgetAllNotes();
        if (!message.IsChannelMessage) return;
        var c = message.Channel.Index;
        switch (message.Kind)
        {
            case MidiMessageKind.NoteOn:
                NoteOn(c, message.Note, message.Velocity, frame);
                break;
            case MidiMessageKind.NoteOff:
                NoteOff(c, message.Note, frame);
                break;
            case MidiMessageKind.ControlChange:
                Control(c, message.Controller, message.ControlValue, frame);
                break;
            case MidiMessageKind.PitchBend:
                Write(bendSlot[c], message.Bend.Bipolar, frame);
                break;
            case MidiMessageKind.ChannelPressure:
                Write(pressureSlot[c], message.Data1 / 127.0, frame);
                break;
            case MidiMessageKind.ProgramChange:
                Write(programSlot[c], message.Data1, frame);
                break;
        }
    }

    private void NoteOn(int c, int note, int vel, long frame)
    {
        Volatile.Write(ref lastNote, (((lastNote >> 24) + 1) << 24) | ((long)c << 16) | ((long)note << 8) | (uint)vel);
        var i = c * Notes + note;
        var p1 = instrument[c] + (note == 0 ? 128 : note) / 1000.0;
        if (sounding[i]) sink.Enqueue(TimedAction.Kill(frame, p1)); // re-struck (or held by the pedal): release the old one
        Span<double> p = stackalloc double[5 + MaxExtraPFields];
        p[0] = p1;
        p[1] = 0;
        p[2] = -1;
        p[3] = note;
        p[4] = velocity[c * Notes + vel];
        var extra = extraPFields[c];
        extra.CopyTo(p[5..]);
        sink.Enqueue(TimedAction.ScoreEvent(frame, 'i', p[..(5 + extra.Length)]));
        sounding[i] = true;
        sustained[i] = false;
        instrumentUsed[c] = true;
    }

    private void NoteOff(int c, int note, long frame)
    {
        Volatile.Write(ref lastNote, (((lastNote >> 24) + 1) << 24) | ((long)c << 16) | ((long)note << 8));
        var i = c * Notes + note;
        if (!sounding[i]) return;
        if (pedalDown[c])
        {
            sustained[i] = true;
            return;
        }
        Release(c, note, frame);
    }

    private void Release(int c, int note, long frame)
    {
        var i = c * Notes + note;
        sink.Enqueue(TimedAction.Kill(frame, instrument[c] + (note == 0 ? 128 : note) / 1000.0));
        sounding[i] = false;
        sustained[i] = false;
    }

    private void Control(int c, int controller, int value, long frame)
    {
        Volatile.Write(ref lastControl, (((lastControl >> 16) + 1) << 16) | ((long)c << 8) | (uint)controller);
        var normalised = value / 127.0;
        Write(ccSlot[c * Notes + controller], normalised, frame);
        var alias = ccAliasSlot[c * Notes + controller];
        if (alias >= 0) Write(alias, normalised, frame);
        switch (controller)
        {
            case 64 when value >= 64:
                pedalDown[c] = true;
                break;
            case 64:
                pedalDown[c] = false;
                for (var n = 0; n < Notes; n++)
                    if (sustained[c * Notes + n]) Release(c, n, frame);
                break;
            case 120 or 123:
                pedalDown[c] = false;
                for (var n = 0; n < Notes; n++)
                    if (sounding[c * Notes + n]) Release(c, n, frame);
                break;
        }
    }

    private void Write(int slot, double value, long frame) => sink.Enqueue(TimedAction.ChannelWrite(frame, slot, value));

    /// <summary>
    /// Releases every instance of every instrument MIDI has played (with release envelopes), at the next k-cycle,
    /// and forgets held notes and pedals before the next message. For a stuck-note emergency: any thread.
    /// </summary>
    public void ReleaseAll()
    {
        for (var c = 0; c < Channels; c++)
        {
            if (!Volatile.Read(ref instrumentUsed[c])) continue;
            var duplicate = false;
            for (var d = 0; d < c; d++) duplicate |= Volatile.Read(ref instrumentUsed[d]) && instrument[d] == instrument[c];
            if (!duplicate) sink.Enqueue(TimedAction.Kill(ActionSink.Now, instrument[c]));
        }
        Interlocked.Exchange(ref panicPending, 1);
    }

    private void ForgetAllNotes()
    {
        Array.Clear(sounding);
        Array.Clear(sustained);
        Array.Clear(pedalDown);
    }
}
