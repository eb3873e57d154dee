using CsPyLive.Midi;

namespace CsPyLive.Tests.Midi;

public sealed class MidiStreamParserTests
{
    private static List<MidiMessage> Parse(MidiStreamParser parser, params byte[] bytes)
    {
        var messages = new List<MidiMessage>();
        foreach (var b in bytes)
            if (parser.Feed(b, out var m)) messages.Add(m);
        return messages;
    }

    private static List<MidiMessage> Parse(params byte[] bytes) => Parse(new MidiStreamParser(), bytes);

    [Fact]
    public void Reads_channel_messages_and_running_status()
    {
        var m = Parse(0x91, 60, 100, 64, 90, 0xC2, 5, 7, 0xE0, 0x00, 0x40);
        Assert.Equal(5, m.Count);
        Assert.Equal((MidiMessageKind.NoteOn, 2, 60, 100), (m[0].Kind, m[0].Channel.Number, (int)m[0].Note, (int)m[0].Velocity));
        Assert.Equal((MidiMessageKind.NoteOn, 64, 90), (m[1].Kind, (int)m[1].Note, (int)m[1].Velocity)); // running status
        Assert.Equal((MidiMessageKind.ProgramChange, 3, 5), (m[2].Kind, m[2].Channel.Number, (int)m[2].Data1));
        Assert.Equal((MidiMessageKind.ProgramChange, 7), (m[3].Kind, (int)m[3].Data1)); // running status, 1 data byte
        Assert.Equal((MidiMessageKind.PitchBend, 8192, 0.0), (m[4].Kind, (int)m[4].Bend.Value, m[4].Bend.Bipolar));
    }

    [Fact]
    public void A_note_on_with_velocity_zero_is_a_note_off()
    {
        var m = Parse(0x90, 60, 100, 60, 0);
        Assert.Equal(MidiMessageKind.NoteOn, m[0].Kind);
        Assert.Equal(MidiMessageKind.NoteOff, m[1].Kind);
        Assert.Equal(60, m[1].Note.Value);
    }

    [Fact]
    public void Realtime_bytes_inside_a_message_come_out_without_breaking_it()
    {
        var m = Parse(0x90, 0xF8, 60, 0xFA, 100, 0xFE, 62, 0xF8, 80);
        Assert.Equal([MidiMessageKind.Realtime, MidiMessageKind.Realtime, MidiMessageKind.NoteOn, MidiMessageKind.Realtime,
            MidiMessageKind.Realtime, MidiMessageKind.NoteOn], m.Select(x => x.Kind));
        Assert.Equal(0xFA, m[1].Status);
        Assert.Equal((60, 100), (m[2].Note.Value, m[2].Velocity.Value));
        Assert.Equal((62, 80), (m[5].Note.Value, m[5].Velocity.Value));
    }

    [Fact]
    public void SysEx_split_over_chunks_is_one_message_and_keeps_running_status_cancelled()
    {
        var parser = new MidiStreamParser();
        Assert.Single(Parse(parser, 0xB0, 7, 100));
        Assert.Empty(Parse(parser, 0xF0, 0x7E, 0x7F));
        Assert.True(parser.InSysEx);
        var realtime = Parse(parser, 0x09, 0xF8, 0x01);
        Assert.Equal(MidiMessageKind.Realtime, Assert.Single(realtime).Kind); // realtime inside SysEx
        var end = Parse(parser, 0xF7);
        Assert.Equal((MidiMessageKind.SysEx, 4), (end[0].Kind, end[0].SysExLength));
        Assert.Empty(Parse(parser, 7, 100)); // SysEx cancelled the running status: these are stray data bytes
        Assert.Equal(2, parser.Dropped);
    }

    [Fact]
    public void Malformed_streams_drop_what_is_broken_and_recover_at_the_next_status()
    {
        var parser = new MidiStreamParser();
        // stray data, stray F7, undefined F4 and FD, a note-on cut short by a CC, a SysEx cut short by a note-on
        var m = Parse(parser, 60, 100, 0xF7, 0xF4, 0xFD, 0x90, 60, 0xB0, 1, 64, 0xF0, 1, 2, 0x80, 60, 0);
        Assert.Equal([MidiMessageKind.ControlChange, MidiMessageKind.NoteOff], m.Select(x => x.Kind));
        Assert.Equal((1, 64), (m[0].Controller.Value, m[0].ControlValue.Value));
        Assert.Equal(2 + 1 + 1 + 1 + 2 + 3, parser.Dropped);
        // A status byte with no data, replaced by another: the first is dropped.
        var p2 = new MidiStreamParser();
        Assert.Single(Parse(p2, 0x90, 0xB0, 7, 1));
        Assert.Equal(1, p2.Dropped);
    }

    [Fact]
    public void System_common_messages_take_their_data_and_cancel_running_status()
    {
        var m = Parse(0x90, 60, 1, 0xF2, 0x10, 0x20, 61, 2, 0xF6);
        Assert.Equal([MidiMessageKind.NoteOn, MidiMessageKind.SystemCommon, MidiMessageKind.SystemCommon], m.Select(x => x.Kind));
        Assert.Equal((0xF2, 0x10, 0x20), (m[1].Status, m[1].Data1.Value, m[1].Data2.Value));
        Assert.Equal(0xF6, m[2].Status);
    }

    [Fact]
    public void Parsing_allocates_nothing()
    {
        var parser = new MidiStreamParser();
        byte[] stream = [0x90, 60, 100, 0xF8, 62, 90, 0xF0, 1, 2, 0xF7, 0xB3, 64, 127, 0xE0, 1, 2, 60, 0];
        long count = 0;
        for (var i = 0; i < 1000; i++) foreach (var b in stream) if (parser.Feed(b, out _)) count++; // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++) foreach (var b in stream) if (parser.Feed(b, out _)) count++;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(count > 0);
    }

    [Fact]
    public void Value_types_refuse_out_of_range_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SevenBitNumber(128));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SevenBitNumber(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiChannel.FromNumber(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiChannel.FromNumber(17));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiChannel.FromIndex(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FourteenBitNumber(16384));
        Assert.Equal(127, new SevenBitNumber(127).Value);
        Assert.Equal(16, MidiChannel.FromIndex(15).Number);
        Assert.Equal(1.0, new FourteenBitNumber(16383).Bipolar);
        Assert.Equal(-1.0, new FourteenBitNumber(0).Bipolar);
    }

    [Fact]
    public void Messages_serialise_with_their_full_status()
    {
        Span<byte> b = stackalloc byte[3];
        Assert.Equal(3, MidiMessage.NoteOn(MidiChannel.FromNumber(2), 60, 0).WriteTo(b));
        Assert.Equal(new byte[] { 0x91, 60, 0 }, b.ToArray());
        Assert.Equal(2, new MidiMessage(MidiMessageKind.ProgramChange, 0xC0, new(9)).WriteTo(b));
        Assert.Equal(0, new MidiMessage(MidiMessageKind.SysEx, 0xF0, sysExLength: 3).WriteTo(b));
    }
}
