using CsPyLive.Csound;
using CsPyLive.Midi;
using CsPyLive.Tests.Support;
using static CsPyLive.Tests.Midi.MidiPlayback;

namespace CsPyLive.Tests.Midi;

/// <summary>route: csound — Csound's own MIDI opcodes get our bytes, each in the k-cycle of its frame.</summary>
public sealed class CsoundMidiInputTests
{
    [Fact]
    public void Csound_midi_opcodes_see_notes_and_releases_at_their_k_cycle()
    {
        using var engine = new Engine();
        engine.CompileCsdText(TestEngines.Csd("""
            massign 0, 1
            instr 1
              icps cpsmidi
              ivel veloc 0, 1
              kenv linsegr 1, 1, 1, 0.05, 0
              outs upsamp(icps / 10000 * kenv), upsamp(ivel * kenv)
            endin
            """, "f0 100", "sr = 48000\nksmps = 16\nnchnls = 2\n0dbfs = 1"));
        engine.SetOption("-n");
        var input = CsoundMidiInput.Attach(engine);
        engine.Start();
        Assert.True(input.Opened, string.Join('\n', TestEngines.DrainLines(engine)));
        var output = Play(engine, input, [(1000, MidiMessage.NoteOn(Ch(1), 69, 127)), (3000, MidiMessage.NoteOff(Ch(1), 69))], 8000);
        Assert.Equal(0, Left(output, 991), 6);
        Assert.Equal(0.044, Left(output, 992), 6);
        Assert.Equal(1, Right(output, 2000), 6);
        Assert.Equal(0, Left(output, 7000), 6);

        // Panic: all notes off reaches Csound's MIDI notes too.
        output = Play(engine, input, [(0, MidiMessage.NoteOn(Ch(2), 81, 64))], 6000,
            beforePeriod: f => { if (f == 1024) input.ReleaseAll(); });
        Assert.Equal(0.088, Left(output, 500), 6);
        Assert.Equal(0, Left(output, 5000), 6);
    }
}
