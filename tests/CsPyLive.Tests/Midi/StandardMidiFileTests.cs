using CsPyLive.Midi;
using static CsPyLive.Tests.Midi.MidiFileBytes;

namespace CsPyLive.Tests.Midi;

public sealed class StandardMidiFileTests
{
    [Fact]
    public void Format_0_with_running_status_and_a_tempo_change()
    {
        // 480 ticks a quarter; 120 bpm, then 60 bpm from tick 960.
        var track = Concat(
            At(0, Tempo(500_000)),
            At(0, 0x90, 60, 100),
            At(480, 62, 90),          // running status
            At(480, 60, 0),           // velocity 0 = note-off, running status
            At(0, Tempo(1_000_000)),
            At(480, 0x80, 62, 0),
            EndOfTrack);
        var file = StandardMidiFile.Parse(Concat(Header(0, 1, 480), Track(track)));
        Assert.Equal(0, file.Format);
        var e = file.Events;
        Assert.Equal(4, e.Count);
        Assert.Equal([0.0, 0.5, 1.0, 2.0], e.Select(x => x.Seconds));
        Assert.Equal([MidiMessageKind.NoteOn, MidiMessageKind.NoteOn, MidiMessageKind.NoteOff, MidiMessageKind.NoteOff], e.Select(x => x.Message.Kind));
        Assert.Equal(62, e[1].Message.Note.Value);
        Assert.Equal(2.0, file.DurationSeconds);
    }

    [Fact]
    public void Format_1_merges_tracks_in_time_with_the_tempo_map_of_the_first()
    {
        var tempo = Concat(At(0, Tempo(250_000)), At(96, Tempo(500_000)), EndOfTrack);
        var notes1 = Concat(At(96, 0x91, 64, 80), At(96, 0x81, 64, 0), EndOfTrack);
        var notes2 = Concat(At(48, 0xB2, 64, 127), At(0, 0xFF, 0x03, 0x01, (byte)'x'), At(144, 0xB2, 64, 0), EndOfTrack);
        var file = StandardMidiFile.Parse(Concat(Header(1, 3, 96), Track(tempo), Track(notes1), Track(notes2)));
        Assert.Equal(3, file.TrackCount);
        var e = file.Events;
        Assert.Equal([48L, 96, 192, 192], e.Select(x => x.Tick));
        // 0..96 ticks at 0.25 s a quarter, then 0.5 s a quarter
        Assert.Equal([0.125, 0.25, 0.75, 0.75], e.Select(x => Math.Round(x.Seconds, 9)));
        Assert.Equal([MidiMessageKind.ControlChange, MidiMessageKind.NoteOn, MidiMessageKind.NoteOff, MidiMessageKind.ControlChange], e.Select(x => x.Message.Kind));
        Assert.Equal(2, e[1].Message.Channel.Number);
    }

    [Fact]
    public void Skips_unknown_chunks_and_sysex()
    {
        var unknown = Concat("XFIH"u8.ToArray(), [0, 0, 0, 2, 1, 2]);
        var track = Concat(At(0, 0xF0, 0x03, 0x43, 0x12, 0xF7), At(10, 0x90, 1, 1), EndOfTrack);
        var file = StandardMidiFile.Parse(Concat(Header(0, 1, 10), unknown, Track(track)));
        Assert.Single(file.Events);
    }

    [Theory]
    [InlineData("chunk-length-lies", "claims 100 bytes but only 8 remain", 18)]
    [InlineData("truncated-event", "the track ends (byte 25) in the middle of the data of the 90 event at byte 23", 25)]
    [InlineData("no-running-status", "data byte 3C at byte 23 with no running status", 23)]
    [InlineData("status-in-data", "byte 85 at byte 25 where a data byte of the 90 event at byte 23 must be", 25)]
    [InlineData("running-status-after-meta", "data byte 3C at byte 31 with no running status", 31)]
    [InlineData("long-varlength", "delta time at byte 22 is longer than 4 bytes", 22)]
    [InlineData("format-2", "format 2 is not supported", 8)]
    [InlineData("missing-track", "announces 2 tracks but the file ends after 1", 30)]
    [InlineData("not-midi", "no MThd header", 0)]
    [InlineData("bad-tempo", "tempo event at byte 23 has 2 data bytes", 23)]
    [InlineData("truncated-header", "the MThd header is cut short: the file ends after 10 of its 14 bytes", 10)] // was "no MThd header"
    [InlineData("smpte-0-ticks", "SMPTE division with 0 ticks per frame", 13)]                                 // was accepted
    [InlineData("smpte-23-fps", "SMPTE division with 23 frames per second (must be 24, 25, 29 or 30)", 12)]
    public void Malformed_files_name_the_byte_offset(string name, string expected, long offset)
    {
        byte[] bytes = name switch
        {
            "chunk-length-lies" => Concat(Header(0, 1, 96), Track([0x00, 0x90, 60, 100, 0x00, 0xFF, 0x2F, 0x00], claimedLength: 100)),
            "truncated-event" => Concat(Header(0, 1, 96), Track([0x00, 0x90, 60])),
            "no-running-status" => Concat(Header(0, 1, 96), Track([0x00, 60, 100, 0x00, 0xFF, 0x2F, 0x00])),
            "status-in-data" => Concat(Header(0, 1, 96), Track([0x00, 0x90, 60, 0x85, 0x00, 0xFF, 0x2F, 0x00])),
            "running-status-after-meta" => Concat(Header(0, 1, 96), Track([0x00, 0x90, 60, 100, 0x00, 0xFF, 0x01, 0x00, 0x00, 60, 0, 0x00, 0xFF, 0x2F, 0x00])),
            "long-varlength" => Concat(Header(0, 1, 96), Track([0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x90, 60, 100])),
            "format-2" => Concat(Header(2, 1, 96), Track(EndOfTrack)),
            "missing-track" => Concat(Header(1, 2, 96), Track([0x00, 0x90, 60, 100, 0x00, 0xFF, 0x2F, 0x00])),
            "not-midi" => "RIFF....WAVEfmt "u8.ToArray(),
            "truncated-header" => Header(0, 1, 96)[..10],
            "smpte-0-ticks" => Concat(Header(0, 1, 0xE700), Track(EndOfTrack)),  // -25 fps, 0 ticks a frame
            "smpte-23-fps" => Concat(Header(0, 1, 0xE928), Track(EndOfTrack)),   // -23 fps, 40 ticks a frame
            "bad-tempo" => Concat(Header(0, 1, 96), Track([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1, 0x00, 0xFF, 0x2F, 0x00])),
            _ => throw new ArgumentException(name),
        };
        var e = Assert.Throws<MidiFileException>(() => StandardMidiFile.Parse(bytes));
        Assert.Contains(expected, e.Message);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Reading_a_file_names_it_in_the_error()
    {
        using var dir = new Support.TempDir();
        var path = Write(dir.File("broken.mid"), Concat(Header(0, 1, 96), Track([0x00, 0x90, 60])));
        var e = Assert.Throws<MidiFileException>(() => StandardMidiFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
    }
}
