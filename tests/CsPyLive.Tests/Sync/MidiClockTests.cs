using CsPyLive.Audio;
using CsPyLive.Sync;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// MIDI clock in (<c>--sync midi</c>, <see cref="MidiClockFollower"/>) and out (<see cref="MidiClockOut"/>), without
/// JACK: ticks at known frames into the follower and the beat clock, and the clock out's bytes and frames.
/// </summary>
public sealed class MidiClockTests
{
    private const double Sr = 48000;
    private const int Period = 256;

    private static double FramesPerTick(double bpm) => 60 * Sr / (bpm * MidiClockFollower.TicksPerBeat);

    [Theory]
    [InlineData(133.0, 0.0)]
    [InlineData(133.0, 1.0)]
    [InlineData(87.5, 1.0)]
    [InlineData(174.0, 0.5)]
    public void The_tempo_is_estimated_from_ticks_that_jitter(double bpm, double jitterMs)
    {
        // A clock whose ticks arrive up to ±jitterMs off their time (USB MIDI, a bridge's timer), rounded to frames.
        var follower = new MidiClockFollower(Sr);
        var random = new Random(16);
        var errors = new List<double>();
        for (var k = 0; k < 24 * 16; k++)
        {
            var frame = (long)Math.Round(1000 + k * FramesPerTick(bpm) + (random.NextDouble() * 2 - 1) * jitterMs * Sr / 1000);
            follower.Handle(0xF8, 0, frame);
            if (k >= MidiClockFollower.Window) errors.Add(Math.Abs(follower.Tempo - bpm));
        }
        Assert.True(errors.Max() < 0.1 + 0.15 * jitterMs, $"tempo off by up to {errors.Max():0.000} BPM with ±{jitterMs} ms of jitter");
        Assert.True(errors.Average() < 0.1, $"tempo off by {errors.Average():0.000} BPM on average");
        if (jitterMs == 0) Assert.True(errors.Max() < 0.001, $"{errors.Max()}");
    }

    [Fact]
    public void A_tempo_change_is_followed_within_two_beats()
    {
        var follower = new MidiClockFollower(Sr);
        var frame = 0.0;
        for (var k = 0; k < 96; k++, frame += FramesPerTick(120)) follower.Handle(0xF8, 0, (long)Math.Round(frame));
        Assert.Equal(120, follower.Tempo, 1);
        for (var k = 0; k < 48; k++, frame += FramesPerTick(140)) follower.Handle(0xF8, 0, (long)Math.Round(frame));
        Assert.Equal(140, follower.Tempo, 1);
    }

    /// <summary>Plays periods through a beat clock that follows <paramref name="follower"/>, with the messages given per period (offset, status, value).</summary>
    private static void Period_(BeatClock clock, MidiClockFollower follower, long firstFrame, params (int Offset, byte[] Bytes)[] events)
    {
        foreach (var (offset, bytes) in events) follower.Receive(bytes, offset);
        clock.BeginPeriod(firstFrame);
        clock.BeforeKCycle(firstFrame);
    }

    [Fact]
    public void Start_stop_continue_and_song_position_move_the_beat_as_MIDI_says()
    {
        var follower = new MidiClockFollower(Sr);
        var clock = new BeatClock(new SyncConfig { Source = SyncSource.Midi, Tempo = 100 }, Sr, null, follower);
        Assert.Equal(SyncSource.Midi, clock.Source);
        // 120 BPM: a tick every 1000 frames. The master runs its clock before start (tempo known, beat held at 0).
        var frame = 0L;
        var period = 0L;
        void Run(double seconds, bool ticks = true, (int, byte[])[]? first = null)
        {
            var end = frame + (long)(seconds * Sr);
            var firstSent = false;
            for (; period * Period < end; period++)
            {
                var list = new List<(int, byte[])>();
                if (!firstSent && first is not null) { list.AddRange(first); firstSent = true; }
                while (ticks && frame < (period + 1) * Period)
                {
                    if (frame >= period * Period) list.Add(((int)(frame - period * Period), [0xF8]));
                    frame += 1000;
                }
                Period_(clock, follower, period * Period, [.. list]);
            }
            if (!ticks) frame = period * Period;
        }
        Run(1, ticks: true, first: [(0, [0xFC])]); // stopped, ticking
        Assert.False(clock.Playing);
        Assert.Equal(0, clock.Beat);
        Assert.Equal(120, clock.Tempo, 2);

        frame = period * Period + 10; // start, then the first tick 10 frames later is beat 0
        Run(2, first: [(0, [0xFA])]);
        Assert.True(clock.Playing);
        Assert.InRange(clock.Beat, 4 - 0.1, 4 + 0.1); // 2 s at 120 BPM

        Run(0.5, first: [(0, [0xFC])]); // stop: the beat holds at the last tick
        Assert.False(clock.Playing);
        var held = clock.Beat;
        Assert.InRange(held, 4 - 0.1, 4 + 0.1);
        Run(0.5);
        Assert.Equal(held, clock.Beat);

        Run(0.5, first: [(0, [0xF2, 0x20, 0x00])]); // song position 32 sixteenths = beat 8, still stopped
        Assert.Equal(8, clock.Beat);
        Run(1, first: [(0, [0xFB])]); // continue from beat 8
        Assert.True(clock.Playing);
        Assert.InRange(clock.Beat, 10 - 0.1, 10 + 0.1);
        Assert.Equal(120, clock.Tempo, 2);
        Assert.InRange(clock.BarPhase, 0.5 - 0.03, 0.5 + 0.03); // beat 10 in 4-beat bars
    }

    [Fact]
    public void Realtime_bytes_inside_other_messages_are_ticks_and_the_message_survives()
    {
        var follower = new MidiClockFollower(Sr);
        // A note-on split by two ticks, then a song position split by a tick, all in one JACK event.
        follower.Receive([0x90, 0xF8, 0x3C, 0xF8, 0x64, 0xF2, 0xF8, 0x08, 0x00], 0);
        var position = new BeatPosition { Tempo = 120, Quantum = 4 };
        follower.Locate(0, ref position);
        Assert.Equal(3, follower.Ticks);
        position = default;
        follower.Handle(0xFB, 0, 10); // continue: the next tick is at the song position (8 sixteenths)
        follower.Handle(0xF8, 0, 20);
        follower.Position(20, ref position);
        Assert.Equal(2, position.Beat);
    }

    [Fact]
    public void A_clock_that_never_sent_start_plays_from_its_first_tick()
    {
        var follower = new MidiClockFollower(Sr);
        var clock = new BeatClock(new SyncConfig { Source = SyncSource.Midi }, Sr, null, follower);
        for (var p = 0L; p < 200; p++)
        {
            if (p % 4 == 0) follower.Receive([0xF8], 0); // a tick every 1024 frames: 117.19 BPM
            clock.BeginPeriod(p * Period);
            clock.BeforeKCycle(p * Period);
        }
        Assert.True(clock.Playing);
        Assert.Equal(60 * Sr / (1024 * 24), clock.Tempo, 3);
        Assert.InRange(clock.Beat, 49.0 / 24 - 0.01, 50.0 / 24);
    }

    [Fact]
    public void Following_a_clock_allocates_nothing_on_the_audio_thread()
    {
        var follower = new MidiClockFollower(Sr);
        var clock = new BeatClock(new SyncConfig { Source = SyncSource.Midi }, Sr, null, follower);
        var outBytes = new byte[4096];
        var written = new int[1];
        var clockOut = new MidiClockOut(clock);
        var before = 0L;
        ReadOnlySpan<byte> tick = [0xF8];
        ReadOnlySpan<byte> start = [0xFA];
        for (var p = 0; p < 20000; p++)
        {
            if (p == 1000) before = GC.GetAllocatedBytesForCurrentThread();
            if (p % 5000 == 0) follower.Receive(start, 3);
            if (p % 4 == 1) follower.Receive(tick, 17);
            clock.BeginPeriod(p * (long)Period);
            clock.BeforeKCycle(p * (long)Period);
            written[0] = 0;
            clockOut.WriteMidi(new MidiOutputBuffer(Period, outBytes, written));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The messages a clock out wrote over <paramref name="periods"/> periods, as (frame, bytes).</summary>
    private static List<(long Frame, byte[] Bytes)> ClockOut(BeatClock clock, MidiClockOut clockOut, int periods, long from = 0)
    {
        var sent = new List<(long, byte[])>();
        var record = new byte[4096];
        var written = new int[1];
        for (var p = 0; p < periods; p++)
        {
            var first = from + p * (long)Period;
            clock.BeginPeriod(first);
            clock.BeforeKCycle(first);
            written[0] = 0;
            clockOut.WriteMidi(new MidiOutputBuffer(Period, record, written));
            for (var i = 0; i < written[0];)
            {
                var offset = record[i] | (record[i + 1] << 8);
                Assert.InRange(offset, 0, Period - 1);
                sent.Add((first + offset, record.AsSpan(i + 3, record[i + 2]).ToArray()));
                i += 3 + record[i + 2];
            }
        }
        return sent;
    }

    [Fact]
    public void Clock_out_starts_at_beat_0_and_puts_each_tick_on_its_frame()
    {
        // 133 BPM: a tick every 902.25 frames, so ticks fall at every offset of the 256-frame periods.
        var clock = new BeatClock(new SyncConfig { Tempo = 133 }, Sr, null);
        var clockOut = new MidiClockOut(clock);
        var sent = ClockOut(clock, clockOut, 1000);
        Assert.Equal(0L, sent[0].Frame);
        Assert.Equal(new byte[] { 0xFA }, sent[0].Bytes);
        var ticks = sent.Skip(1).ToList();
        Assert.All(ticks, t => Assert.Equal(new byte[] { 0xF8 }, t.Bytes));
        for (var k = 0; k < ticks.Count; k++) Assert.Equal((long)Math.Round(k * FramesPerTick(133)), ticks[k].Frame);
        Assert.Equal((int)(1000 * Period / FramesPerTick(133)) + 1, ticks.Count); // ticks 0..283, the last at 256 052 - 902
        Assert.Equal(ticks.Count, clockOut.Ticks);

        clockOut.RequestStop();
        var stop = ClockOut(clock, clockOut, 1, 1000 * Period);
        Assert.Equal(new byte[] { 0xFC }, Assert.Single(stop).Bytes);
        Assert.False(clockOut.StopPending);
    }

    [Fact]
    public void Clock_out_joining_mid_beat_sends_the_next_sixteenth_and_continue()
    {
        var clock = new BeatClock(new SyncConfig { Tempo = 120 }, Sr, null); // beat 2.6 at frame 62400
        var clockOut = new MidiClockOut(clock);
        clock.BeginPeriod(0);
        var sent = ClockOut(clock, clockOut, 20, 62400 - 62400 % Period);
        Assert.Equal(new byte[] { 0xF2, 11, 0 }, sent[0].Bytes); // 2.75 beats = 11 sixteenths
        Assert.Equal(new byte[] { 0xFB }, sent[1].Bytes);
        Assert.Equal((long)(2.75 * 24000), sent[2].Frame); // the first tick is the song position's
    }

    [Fact]
    public void Clock_out_looped_into_a_follower_gives_the_tempo_and_the_beat_back()
    {
        var master = new BeatClock(new SyncConfig { Tempo = 133 }, Sr, null);
        var clockOut = new MidiClockOut(master);
        var follower = new MidiClockFollower(Sr);
        var slave = new BeatClock(new SyncConfig { Source = SyncSource.Midi, Tempo = 90 }, Sr, null, follower);
        var record = new byte[4096];
        var written = new int[1];
        for (var p = 0L; p < 400; p++) // 2.1 s
        {
            master.BeginPeriod(p * Period);
            written[0] = 0;
            clockOut.WriteMidi(new MidiOutputBuffer(Period, record, written));
            for (var i = 0; i < written[0]; i += 3 + record[i + 2])
                follower.Receive(record.AsSpan(i + 3, record[i + 2]), record[i] | (record[i + 1] << 8));
            slave.BeginPeriod(p * Period);
            slave.BeforeKCycle(p * Period);
            master.BeforeKCycle(p * Period);
        }
        Assert.Equal(133, slave.Tempo, 2);
        Assert.Equal(master.Beat, slave.Beat, 3);
    }
}
