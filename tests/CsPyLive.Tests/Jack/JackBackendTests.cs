using CsPyLive.Audio;
using CsPyLive.Audio.Jack;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Jack;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessJackCollection
{
    /// <summary>In-process JACK clients share the C environment that picks their server: one test at a time.</summary>
    public const string Name = "jack clients in this process";
}

/// <summary><see cref="JackAudioBackend"/> in this process, against a headless jackd: the real-time contract.</summary>
[Collection(InProcessJackCollection.Name)]
public sealed class JackBackendTests
{
    private static JackAudioBackend Open(JackServer server, int sampleRate, int outputs, JackOptions? options = null)
    {
        foreach (var (k, v) in server.ClientEnvironment) NativeEnvironment.Set(k, v);
        return new JackAudioBackend(sampleRate, outputs, 0, options ?? new JackOptions { ClientName = "cspylive-test", AutoConnect = false });
    }

    [Fact]
    public void The_process_callback_allocates_nothing_across_thousands_of_periods()
    {
        const int from = 500, to = 5000;
        using var server = new JackServer(period: 64);
        using var engine = TestEngines.Start(TestEngines.Csd("""
            instr 1
              a1 poscil 0.2, p4
              outs a1, a1
            endin
            """, "i1 0 600 440\ni1 0 600 660", "sr = 48000\nksmps = 48\nnchnls = 2\n0dbfs = 1"));
        using var backend = Open(server, 48000, 2);
        long count = 0, before = 0, allocated = -1;
        using var done = new ManualResetEventSlim();
        backend.Start(new TestCallback((in AudioBuffers b) =>
        {
            var n = ++count;
            if (n == from) before = GC.GetAllocatedBytesForCurrentThread();
            engine.Process(b.Output, default, b.Frames);
            if (n == to)
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                done.Set();
            }
        }));
        Assert.True(done.Wait(TimeSpan.FromSeconds(120)), $"only {count} callbacks ran");
        backend.Stop();
        Assert.Equal(0, allocated);
        Assert.Equal(0, backend.CallbackErrors);
    }

    [Fact]
    public void Counts_the_xruns_a_late_callback_causes()
    {
        using var server = new JackServer(period: 256);
        using var backend = Open(server, 48000, 2);
        long count = 0;
        backend.Start(new TestCallback((in AudioBuffers b) =>
        {
            b.Output.Clear();
            if (++count % 50 == 0) Thread.Sleep(30); // about six periods late, every 50th period
        }));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (backend.Xruns < 3 && DateTime.UtcNow < deadline) Thread.Sleep(100);
        backend.Stop();
        Assert.True(backend.Xruns >= 3, $"{backend.Xruns} xruns after {count} callbacks");
    }

    [Fact]
    public void Follows_a_changed_period_without_stopping()
    {
        using var server = new JackServer(period: 256);
        using var backend = Open(server, 48000, 1);
        var frames = new int[2];
        backend.Start(new TestCallback((in AudioBuffers b) =>
        {
            b.Output.Clear();
            Volatile.Write(ref frames[b.Frames == 512 ? 1 : 0], b.Frames);
        }));
        Assert.Equal(256, backend.PeriodFrames);
        var change = server.Tool("jack_bufsize", "512");
        Assert.True(change.ExitCode == 0, change.Output);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref frames[1]) != 512 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        backend.Stop();
        Assert.Equal(512, backend.PeriodFrames);
        Assert.Equal(512, frames[1]);
    }

    [Fact]
    public void Tells_its_callback_when_a_run_starts_and_stops_and_when_a_new_server_resumes_it()
    {
        using var server = new JackServer(period: 256);
        using var backend = Open(server, 48000, 1, new JackOptions { ClientName = "cspylive-test", AutoConnect = false, ReconnectInterval = TimeSpan.FromMilliseconds(100) });
        long periods = 0;
        var callback = new TestCallback((in AudioBuffers b) => { b.Output.Clear(); Interlocked.Increment(ref periods); });
        backend.Start(callback);
        Assert.Equal((1, 0, 0), (callback.Starts, callback.Restarts, callback.Stops)); // about to start: before the first period
        Assert.True(Wait.Until(() => Interlocked.Read(ref periods) > 10, TimeSpan.FromSeconds(10)));

        server.Kill();
        Assert.True(Wait.Until(() => callback.Stops == 1, TimeSpan.FromSeconds(10)), "the run that the server took away was not ended");
        server.Start();
        Assert.True(Wait.Until(() => backend.Reconnects == 1, TimeSpan.FromSeconds(15)), server.Log);
        Assert.Equal((2, 1), (callback.Starts, callback.Restarts)); // the second run is a restart: inputs forget what the cut stream held
        var resumedAt = Interlocked.Read(ref periods);
        Assert.True(Wait.Until(() => Interlocked.Read(ref periods) > resumedAt + 10, TimeSpan.FromSeconds(10)), "no periods after the restart");

        backend.Stop();
        Assert.Equal(2, callback.Stops);
        backend.Stop(); // twice is harmless, and says nothing twice
        Assert.Equal(2, callback.Stops);
    }

    [Fact]
    public void Refuses_a_server_at_another_sample_rate()
    {
        using var server = new JackServer(sampleRate: 44100);
        var e = Assert.Throws<JackException>(() => Open(server, 48000, 2).Dispose());
        Assert.Contains("44100 Hz", e.Message);
        Assert.Contains("sr is 48000 Hz", e.Message);
    }
}
