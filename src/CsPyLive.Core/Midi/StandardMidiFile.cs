using System.Buffers.Binary;
using System.Text;

namespace CsPyLive.Midi;

/// <summary>One channel message of a MIDI file, at its time in seconds (after the tempo map) and in ticks.</summary>
public readonly record struct MidiFileEvent(long Tick, double Seconds, MidiMessage Message);

/// <summary>
/// A Standard MIDI File (formats 0 and 1) read into a time-ordered list of channel messages with their times in
/// seconds. Tempo changes (FF 51) from any track form the tempo map; SMPTE divisions are honoured. Meta events other
/// than tempo and SysEx are skipped. Anything malformed — a chunk longer than the file, a truncated event, a data
/// byte with no running status, a status byte where a data byte must be, a variable-length number over 4 bytes —
/// throws <see cref="MidiFileException"/> naming the byte offset. Control thread; allocates freely.
/// </summary>
public sealed class StandardMidiFile
{
    private StandardMidiFile(int format, int tracks, IReadOnlyList<MidiFileEvent> events, double seconds)
    {
        Format = format;
        TrackCount = tracks;
        Events = events;
        DurationSeconds = seconds;
    }

    public int Format { get; }
    public int TrackCount { get; }
    public IReadOnlyList<MidiFileEvent> Events { get; }
    /// <summary>Time of the last event of any kind (end-of-track included).</summary>
    public double DurationSeconds { get; }

    public static StandardMidiFile Read(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (MidiFileException e)
        {
            throw new MidiFileException($"{path}: {e.Message}", e.Offset);
        }
    }

    public static StandardMidiFile Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || Encoding.ASCII.GetString(data[..4]) != "MThd")
            throw new MidiFileException("not a Standard MIDI File (no MThd header at byte 0)", 0);
        if (data.Length < 14)
            throw new MidiFileException($"the MThd header is cut short: the file ends after {data.Length} of its 14 bytes", data.Length);
        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (headerLength < 6 || headerLength > data.Length - 8)
            throw new MidiFileException($"the header chunk at byte 0 claims {headerLength} bytes (needs 6, file has {data.Length - 8} after the chunk header)", 4);
        var format = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        var tracks = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        var division = BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        if (format > 1) throw new MidiFileException($"format {format} is not supported (only 0 and 1)", 8);
        if (format == 0 && tracks != 1) throw new MidiFileException($"format 0 with {tracks} tracks (must be 1)", 10);
        if (division == 0) throw new MidiFileException("division 0 ticks per quarter note", 12);
        if ((division & 0x8000) != 0)
        {
            var framesPerSecond = -(sbyte)(division >> 8);
            if (framesPerSecond is not (24 or 25 or 29 or 30))
                throw new MidiFileException($"SMPTE division with {framesPerSecond} frames per second (must be 24, 25, 29 or 30)", 12);
            if ((division & 0xFF) == 0) throw new MidiFileException("SMPTE division with 0 ticks per frame", 13);
        }

        var raw = new List<(long Tick, int Track, int Order, MidiMessage Message, int Tempo)>();
        var pos = 8 + (long)headerLength;
        var found = 0;
        while (found < tracks)
        {
            if (pos + 8 > data.Length)
                throw new MidiFileException($"the header announces {tracks} tracks but the file ends after {found} (at byte {pos})", pos);
            var id = Encoding.ASCII.GetString(data.Slice((int)pos, 4));
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)(pos + 4)..]);
            if (length > data.Length - (pos + 8))
                throw new MidiFileException($"the '{id}' chunk at byte {pos} claims {length} bytes but only {data.Length - (pos + 8)} remain", pos + 4);
            if (id == "MTrk")
            {
                new TrackReader(data, (int)(pos + 8), (int)length, found, raw).Read();
                found++;
            }
            pos += 8 + length; // unknown chunks are skipped, as the standard asks
        }
        return Build(format, tracks, division, raw);
    }

    private static StandardMidiFile Build(int format, int tracks, int division,
        List<(long Tick, int Track, int Order, MidiMessage Message, int Tempo)> raw)
    {
        // Ticks to seconds: a stable sort by tick (track, then file order), walking tempo changes as they come.
        raw.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Order.CompareTo(b.Order));
        var smpte = (division & 0x8000) != 0;
        var ticksPerSecondSmpte = smpte ? -(sbyte)(division >> 8) * (division & 0xFF) : 0;
        var microsPerQuarter = 500000.0;
        long lastTick = 0;
        var seconds = 0.0;
        var events = new List<MidiFileEvent>();
        foreach (var e in raw)
        {
            seconds += smpte
                ? (e.Tick - lastTick) / (double)ticksPerSecondSmpte
                : (e.Tick - lastTick) * microsPerQuarter / 1e6 / division;
            lastTick = e.Tick;
            if (e.Tempo > 0) microsPerQuarter = e.Tempo;
            else if (e.Tempo == 0) events.Add(new MidiFileEvent(e.Tick, seconds, e.Message));
        }
        return new StandardMidiFile(format, tracks, events, seconds);
    }

    /// <summary>One MTrk chunk's events: Tempo &gt; 0 marks a tempo change, -1 any other timed marker (end of track).</summary>
    private ref struct TrackReader(ReadOnlySpan<byte> file, int start, int length,
        int track, List<(long Tick, int Track, int Order, MidiMessage Message, int Tempo)> output)
    {
        private readonly ReadOnlySpan<byte> file = file;
        private readonly int end = start + length;
        private int pos = start;

        public void Read()
        {
            long tick = 0;
            byte running = 0;
            var order = 0;
            while (pos < end)
            {
                tick += VarLength("delta time");
                var at = pos;
                var b = Byte("event");
                if (b == 0xFF)
                {
                    var type = Byte("meta event type");
                    var len = VarLength("meta event length");
                    var body = Bytes(len, $"meta event FF {type:X2} at byte {at}");
                    if (type == 0x51)
                    {
                        if (len != 3) throw new MidiFileException($"tempo event at byte {at} has {len} data bytes (must be 3)", at);
                        var tempo = (body[0] << 16) | (body[1] << 8) | body[2];
                        if (tempo == 0) throw new MidiFileException($"tempo event at byte {at} sets 0 microseconds per quarter note", at);
                        output.Add((tick, track, order++, default, tempo));
                    }
                    else if (type == 0x2F)
                    {
                        output.Add((tick, track, order++, default, -1));
                        return; // anything after end-of-track is ignored
                    }
                    running = 0; // meta events cancel running status
                    continue;
                }
                if (b is 0xF0 or 0xF7)
                {
                    Bytes(VarLength("SysEx length"), $"SysEx at byte {at}");
                    running = 0;
                    continue;
                }
                byte status;
                if (b >= 0x80)
                {
                    if (b >= 0xF0) throw new MidiFileException($"status byte {b:X2} at byte {at} is not allowed in a MIDI file track", at);
                    status = b;
                }
                else
                {
                    if (running == 0) throw new MidiFileException($"data byte {b:X2} at byte {at} with no running status to continue", at);
                    status = running;
                    pos--; // the byte was the first data byte
                }
                running = status;
                var count = MidiMessage.DataBytesFor(status);
                var d1 = Data(at, status);
                var d2 = count == 2 ? Data(at, status) : (byte)0;
                var kind = MidiMessage.KindOf(status, d2);
                output.Add((tick, track, order++, new MidiMessage(kind, status, SevenBitNumber.FromDataByte(d1), SevenBitNumber.FromDataByte(d2)), 0));
            }
        }

        private byte Data(int eventStart, byte status)
        {
            var at = pos;
            var d = Byte($"data of the {status:X2} event at byte {eventStart}");
            if (d >= 0x80) throw new MidiFileException($"byte {d:X2} at byte {at} where a data byte of the {status:X2} event at byte {eventStart} must be (0..7F)", at);
            return d;
        }

        private byte Byte(string what)
        {
            if (pos >= end) throw new MidiFileException($"the track ends (byte {end}) in the middle of the {what}", pos);
            return file[pos++];
        }

        private ReadOnlySpan<byte> Bytes(long count, string what)
        {
            if (count > end - pos) throw new MidiFileException($"the {what} needs {count} bytes but the track has {end - pos} left (from byte {pos})", pos);
            var s = file.Slice(pos, (int)count);
            pos += (int)count;
            return s;
        }

        private long VarLength(string what)
        {
            var at = pos;
            long value = 0;
            for (var i = 0; i < 4; i++)
            {
                var b = Byte(what);
                value = (value << 7) | (uint)(b & 0x7F);
                if ((b & 0x80) == 0) return value;
            }
            throw new MidiFileException($"the {what} at byte {at} is longer than 4 bytes", at);
        }
    }
}
