using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static CsPyLive.Audio.Jack.Interop.Jack;

namespace CsPyLive.Audio.Jack;

/// <summary>
/// Plays through a JACK server: a client (default name <c>cspylive</c>) with ports out_1..out_N (and in_1..in_M,
/// and midi_in when asked), whose process callback runs the <see cref="IAudioCallback"/> directly, so the latency is
/// JACK's period and nothing more. Any period works against any ksmps (the engine carries the remainders).
/// </summary>
/// <remarks>
/// <para>Threads: the constructor, <see cref="OpenMidiInput"/>, <see cref="Start"/>, <see cref="Stop"/> and
/// <see cref="Dispose"/> on a control thread; <see cref="IAudioCallback.Process"/> on JACK's real-time thread, where
/// this class allocates nothing and takes no lock (scratch buffers are sized for <see cref="MaxChunkFrames"/> at
/// construction; longer periods are processed in chunks, so a period change needs no reallocation); xrun,
/// buffer-size and shutdown notifications on JACK's notification thread; a supervisor thread that notices a server
/// shutdown, closes the dead client once no callback is running in it (see <see cref="CloseWhenQuiet"/>), tells the
/// callback it <see cref="IAudioCallback.Stopped"/>, and reopens a client every
/// <see cref="JackOptions.ReconnectInterval"/> until a server with the same sample rate answers, then resumes the
/// same callback after <see cref="IAudioCallback.AboutToStart"/> with <see cref="AudioStart.IsRestart"/> set (so the
/// engine, its notes and its Python state live on, and inputs forget what the old stream held).</para>
/// <para>The constructor opens the client (never starting a server), so "no server" and "wrong sample rate" are
/// reported before anything plays.</para>
/// <para>Its life is one <see cref="State"/>: Open → Running ⇄ Reconnecting → Stopping → Stopped (or LeftOpen, when
/// a callback never returned and closing the client could abort the process). Which threads are inside our
/// callbacks right now is a separate, shorter-lived fact (<see cref="processing"/>, <see cref="notifying"/>).</para>
/// </remarks>
public sealed unsafe class JackAudioBackend : IAudioBackend
{
    /// <summary>Frames handed to the callback in one go; JACK periods above it are split (JACK's maximum is 8192).</summary>
    public const int MaxChunkFrames = 8192;

    /// <summary>How long after a callback returned its thread is taken to be back in libjack (see <see cref="CloseWhenQuiet"/>).</summary>
    private static readonly TimeSpan QuietMargin = TimeSpan.FromMilliseconds(20);

    private enum State
    {
        /// <summary>A client is open and inactive: nothing runs yet.</summary>
        Open,
        /// <summary>Active: JACK calls the process callback.</summary>
        Running,
        /// <summary>The server shut down; the supervisor closes the dead client and looks for a server again.</summary>
        Reconnecting,
        /// <summary><see cref="Stop"/> was called: no new client is opened.</summary>
        Stopping,
        /// <summary>Closed; done.</summary>
        Stopped,
        /// <summary>A callback did not return within <see cref="IAudioBackend.StopWait"/>: the client stays open and our GCHandle valid.</summary>
        LeftOpen,
    }

    private readonly JackOptions options;
    private readonly int outputChannels;
    private readonly int inputChannels;
    private readonly float[] output;
    private readonly float[] input;
    private readonly float*[] outputBuffers;
    private readonly float*[] inputBuffers;
    private readonly object clientLock = new(); // the client and runActive: opening, closing, activating
    private readonly AutoResetEvent wake = new(false);
    private GCHandle self;
    private JackClient? client;
    private IAudioCallback? callback;
    private IRawMidiReceiver[] midiReceivers = []; // each gets every event (the note input, the MIDI clock follower)
    private IMidiOutputSource? midiOutput;
    private Thread? supervisor;
    private int state = (int)State.Open;
    private bool runActive;               // AboutToStart was called and Stopped not yet; under clientLock
    private volatile string? shutdownReason;
    private volatile int periodFrames;
    private volatile bool processing;     // JACK's process thread is inside OnProcess
    private int notifying;                // JACK's threads inside the other callbacks (xrun, buffer size, shutdown)
    private long xruns;
    private long callbacks;
    private long processTicks;
    private long callbackErrors;
    private long reconnects;

    /// <summary>
    /// Opens a JACK client for an orchestra of <paramref name="sampleRate"/> Hz. Throws
    /// <see cref="JackServerUnavailableException"/> when no server runs, <see cref="JackException"/> when the server's
    /// rate differs (JACK does not resample) or a port cannot be registered, <see cref="DllNotFoundException"/>
    /// without libjack.
    /// </summary>
    public JackAudioBackend(int sampleRate, int outputChannels, int inputChannels = 0, JackOptions? options = null)
    {
        this.options = options ?? new JackOptions();
        SampleRate = sampleRate;
        this.outputChannels = outputChannels;
        this.inputChannels = inputChannels;
        output = new float[MaxChunkFrames * outputChannels];
        input = new float[MaxChunkFrames * inputChannels];
        outputBuffers = new float*[outputChannels];
        inputBuffers = new float*[inputChannels];
        self = GCHandle.Alloc(this);
        try
        {
            client = OpenChecked();
        }
        catch
        {
            self.Free();
            throw;
        }
        periodFrames = client.BufferSize;
    }

    /// <summary>True if libjack can be loaded on this machine (whether or not a server runs).</summary>
    public static bool LibraryAvailable() => Interop.JackLibrary.IsAvailable();

    /// <summary>The running server's rate, period and physical ports (a short-lived client named <paramref name="clientName"/>); null without one.</summary>
    public static JackServerInfo? Probe(string clientName) => JackClient.Probe(clientName);

    public string Name => "jack";
    public string DeviceName => ClientName;
    public string DeviceDescription => ClientName.Length == 0 ? "" : $"as JACK client '{ClientName}'";
    public bool IsAudible => true;
    public int SampleRate { get; }
    public int PeriodFrames => periodFrames;
    public int OutputChannels => outputChannels;
    public long Xruns => Interlocked.Read(ref xruns);

    /// <summary>The name the server gave the client (e.g. cspylive, or cspylive-01 if taken); empty while disconnected.</summary>
    public string ClientName => client?.Name ?? "";

    /// <summary>Process callbacks run so far, over all connections.</summary>
    public long Callbacks => Interlocked.Read(ref callbacks);

    /// <summary>Stopwatch ticks spent inside our process callback (from entry to return), summed.</summary>
    public long ProcessTicks => Interlocked.Read(ref processTicks);

    /// <summary>Callbacks in which the <see cref="IAudioCallback"/> threw (the period was then silence).</summary>
    public long CallbackErrors => Interlocked.Read(ref callbackErrors);

    /// <summary>Times a lost server was replaced by a new connection.</summary>
    public long Reconnects => Interlocked.Read(ref reconnects);

    /// <summary>True between a server shutdown and the reconnection.</summary>
    public bool ServerLost => Current == State.Reconnecting;

    /// <summary>Connections made to physical ports at the last (re)connection, "from -> to".</summary>
    public IReadOnlyList<string> Connections { get; private set; } = [];

    private State Current => (State)Volatile.Read(ref state);

    private bool Move(State from, State to) => Interlocked.CompareExchange(ref state, (int)to, (int)from) == (int)from;

    public string? OpenMidiInput(IRawMidiReceiver receiver)
    {
        lock (clientLock)
        {
            if (Current != State.Open || client is null) throw new InvalidOperationException("open MIDI input before starting");
            midiReceivers = [.. midiReceivers, receiver];
            client.RegisterMidiInput();
            return $"{client.Name}:midi_in";
        }
    }

    public string? OpenMidiOutput(IMidiOutputSource source)
    {
        lock (clientLock)
        {
            if (Current != State.Open || client is null) throw new InvalidOperationException("open MIDI output before starting");
            midiOutput = source;
            client.RegisterMidiOutput();
            return $"{client.Name}:midi_out";
        }
    }

    public int MidiInputSources
    {
        get
        {
            lock (clientLock) return client?.MidiInputSources ?? -1;
        }
    }

    /// <summary>Our output ports' playback latency as JACK computes it; one period when they are not connected.</summary>
    public int OutputLatencyFrames
    {
        get
        {
            lock (clientLock) return client?.OutputLatencyFrames is > 0 and var frames ? frames : PeriodFrames;
        }
    }

    public void Start(IAudioCallback callback)
    {
        ObjectDisposedException.ThrowIf(!self.IsAllocated, this);
        lock (clientLock)
        {
            if (Current != State.Open || client is null) throw new InvalidOperationException("already started, or stopped");
            this.callback = callback;
            ActivateAndConnect(client, isRestart: false);
            Volatile.Write(ref state, (int)State.Running);
        }
        supervisor = new Thread(Supervise) { Name = "cspylive-jack-supervisor", IsBackground = true };
        supervisor.Start();
    }

    private JackClient OpenChecked()
    {
        var jackCallbacks = new JackCallbacks
        {
            Process = &OnProcess, Xrun = &OnXrun, BufferSize = &OnBufferSize, Shutdown = &OnShutdown,
            Arg = GCHandle.ToIntPtr(self),
        };
        var c = JackClient.Open(options.ClientName, outputChannels, inputChannels, jackCallbacks, midiReceivers.Length > 0, midiOutput is not null);
        if (c.SampleRate != SampleRate)
        {
            c.Dispose();
            throw new JackException(
                $"the JACK server runs at {c.SampleRate} Hz but the orchestra's sr is {SampleRate} Hz; JACK does not " +
                $"resample. Restart JACK at {SampleRate} Hz (e.g. jackd -d alsa -r {SampleRate}) or set sr = {c.SampleRate} in the orchestra.");
        }
        return c;
    }

    /// <summary>About-to-start, then activation; under the client lock, before any callback of this client.</summary>
    private void ActivateAndConnect(JackClient c, bool isRestart)
    {
        periodFrames = c.BufferSize;
        callback!.AboutToStart(new AudioStart(SampleRate, c.BufferSize, isRestart));
        runActive = true;
        c.Activate();
        Connections = options.AutoConnect ? c.ConnectToPhysicalPorts() : [];
    }

    /// <summary>Under the client lock, after the last callback of a client: the run is over.</summary>
    private void EndRun()
    {
        if (!runActive) return;
        runActive = false;
        callback!.Stopped();
    }

    /// <summary>Supervisor thread: waits for a server shutdown, then reconnects until stopped.</summary>
    private void Supervise()
    {
        while (Current is State.Running or State.Reconnecting)
        {
            wake.WaitOne();
            if (Current != State.Reconnecting) continue;
            options.Log?.Invoke($"the JACK server shut down ({shutdownReason ?? "no reason given"}); " +
                $"playing is paused, reconnecting every {options.ReconnectInterval.TotalMilliseconds:0} ms");
            lock (clientLock)
            {
                if (client is not null && !CloseWhenQuiet(client, keepWaiting: () => Current == State.Reconnecting)) break; // Stop closes it
                client = null;
                EndRun();
            }
            Reconnect();
        }
    }

    private void Reconnect()
    {
        string? lastFailure = null;
        while (Current == State.Reconnecting && !wake.WaitOne(options.ReconnectInterval))
        {
            try
            {
                lock (clientLock)
                {
                    if (Current != State.Reconnecting) return;
                    var c = OpenChecked();
                    try { ActivateAndConnect(c, isRestart: true); }
                    catch { c.Dispose(); EndRun(); throw; }
                    client = c;
                    if (!Move(State.Reconnecting, State.Running)) return; // stopping: Stop closes it
                }
                Interlocked.Increment(ref reconnects);
                options.Log?.Invoke($"reconnected to JACK as '{client.Name}' ({client.SampleRate} Hz, " +
                    $"{client.BufferSize} frames a period); playing resumes" +
                    (midiReceivers.Length == 0 ? "" : "; MIDI notes held before the outage were released (their note-offs may be lost)"));
                return;
            }
            catch (JackServerUnavailableException)
            {
                // not back yet
            }
            catch (Exception e)
            {
                // A wrong rate, a refused port, or the callback's own preparation failing: say so once, keep trying.
                if (e.Message != lastFailure) options.Log?.Invoke("cannot reconnect yet: " + e.Message);
                lastFailure = e.Message;
            }
        }
    }

    [UnmanagedCallersOnly]
    private static int OnProcess(uint nframes, nint arg)
    {
        try
        {
            if (GCHandle.FromIntPtr(arg).Target is not JackAudioBackend b) return 0;
            b.processing = true;
            try { b.Process((int)nframes); }
            finally { b.processing = false; }
        }
        catch
        {
            // Nothing may cross back into C. Process catches the callback's exceptions itself.
        }
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no JIT tier-up inside the process callback
    private void Process(int frames)
    {
        var start = Stopwatch.GetTimestamp();
        var c = client;
        var target = callback;
        if (c is null || target is null) return;
        for (var ch = 0; ch < outputChannels; ch++) outputBuffers[ch] = (float*)jack_port_get_buffer(c.OutputPorts[ch], (uint)frames);
        for (var ch = 0; ch < inputChannels; ch++) inputBuffers[ch] = (float*)jack_port_get_buffer(c.InputPorts[ch], (uint)frames);
        if (c.MidiInputPort != 0) ReadMidi(c.MidiInputPort, frames);
        var done = 0;
        while (done < frames)
        {
            var n = Math.Min(frames - done, MaxChunkFrames);
            if (inputChannels > 0) Interleave(done, n);
            try
            {
                target.Process(new AudioBuffers(output.AsSpan(0, n * outputChannels), input.AsSpan(0, n * inputChannels), n));
            }
            catch
            {
                output.AsSpan(0, n * outputChannels).Clear();
                Interlocked.Increment(ref callbackErrors);
            }
            Deinterleave(done, n);
            done += n;
        }
        if (c.MidiOutputPort != 0) WriteMidi(c.MidiOutputPort, frames);
        Interlocked.Increment(ref callbacks);
        Interlocked.Add(ref processTicks, Stopwatch.GetTimestamp() - start);
    }

    /// <summary>Hands this period's MIDI events, with their frame offsets, to the receivers before any audio is made.</summary>
    private void ReadMidi(nint port, int frames)
    {
        var receivers = midiReceivers;
        var buffer = jack_port_get_buffer(port, (uint)frames);
        var count = jack_midi_get_event_count(buffer);
        Interop.jack_midi_event_t e;
        for (uint i = 0; i < count; i++)
        {
            if (jack_midi_event_get(&e, buffer, i) != 0) continue;
            for (var r = 0; r < receivers.Length; r++)
            {
                try
                {
                    receivers[r].Receive(new ReadOnlySpan<byte>(e.buffer, (int)e.size), (int)e.time);
                }
                catch
                {
                    Interlocked.Increment(ref callbackErrors);
                }
            }
        }
    }

    /// <summary>The period's MIDI out (the clock), written after the period was computed, at frames inside it.</summary>
    private void WriteMidi(nint port, int frames)
    {
        var buffer = jack_port_get_buffer(port, (uint)frames);
        jack_midi_clear_buffer(buffer);
        try
        {
            midiOutput?.WriteMidi(new MidiOutputBuffer(buffer, frames));
        }
        catch
        {
            Interlocked.Increment(ref callbackErrors);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no JIT tier-up inside the process callback
    private void Interleave(int offset, int frames)
    {
        var channels = inputChannels;
        for (var ch = 0; ch < channels; ch++)
        {
            var src = inputBuffers[ch] + offset;
            for (var i = 0; i < frames; i++) input[i * channels + ch] = src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no JIT tier-up inside the process callback
    private void Deinterleave(int offset, int frames)
    {
        var channels = outputChannels;
        for (var ch = 0; ch < channels; ch++)
        {
            var dst = outputBuffers[ch] + offset;
            for (var i = 0; i < frames; i++) dst[i] = output[i * channels + ch];
        }
    }

    [UnmanagedCallersOnly]
    private static int OnXrun(nint arg)
    {
        try
        {
            if (GCHandle.FromIntPtr(arg).Target is not JackAudioBackend b) return 0;
            Interlocked.Increment(ref b.notifying);
            Interlocked.Increment(ref b.xruns);
            Interlocked.Decrement(ref b.notifying);
        }
        catch { }
        return 0;
    }

    /// <summary>A new period size: the scratch buffers already hold <see cref="MaxChunkFrames"/>, so only note it.</summary>
    [UnmanagedCallersOnly]
    private static int OnBufferSize(uint nframes, nint arg)
    {
        try
        {
            if (GCHandle.FromIntPtr(arg).Target is not JackAudioBackend b) return 0;
            Interlocked.Increment(ref b.notifying);
            b.periodFrames = (int)nframes;
            Interlocked.Decrement(ref b.notifying);
        }
        catch { }
        return 0;
    }

    /// <summary>The server is gone: note why and wake the supervisor (which closes the client; JACK forbids it here).</summary>
    [UnmanagedCallersOnly]
    private static void OnShutdown(int status, byte* reason, nint arg)
    {
        try
        {
            if (GCHandle.FromIntPtr(arg).Target is not JackAudioBackend b) return;
            Interlocked.Increment(ref b.notifying);
            try
            {
                b.shutdownReason = Utf8(reason) is { Length: > 0 } r ? r : JackClient.Describe(status);
                b.client?.MarkServerGone();
                b.Move(State.Running, State.Reconnecting);
                b.wake.Set();
            }
            finally { Interlocked.Decrement(ref b.notifying); }
        }
        catch { }
    }

    public void Stop()
    {
        if (!self.IsAllocated) return; // disposed
        var before = (State)Interlocked.Exchange(ref state, (int)State.Stopping);
        if (before is State.Stopped or State.LeftOpen)
        {
            Volatile.Write(ref state, (int)before);
            return;
        }
        wake.Set();
        if (supervisor is not null && supervisor != Thread.CurrentThread) supervisor.Join();
        supervisor = null;
        lock (clientLock)
        {
            var after = State.Stopped;
            if (client is not null)
            {
                var waited = Stopwatch.StartNew();
                if (CloseWhenQuiet(client, keepWaiting: () => waited.Elapsed < IAudioBackend.StopWait))
                {
                    EndRun();
                }
                else
                {
                    // Closing now could abort the process. JACK may still call us: the GCHandle must stay valid.
                    after = State.LeftOpen;
                    options.Log?.Invoke($"the audio callback did not return within {IAudioBackend.StopWait.TotalSeconds:0} s; the JACK client is left open");
                }
                client = null;
            }
            Volatile.Write(ref state, (int)after);
        }
    }

    /// <summary>
    /// Closes <paramref name="c"/> once none of JACK's threads is running our code; false, with the client still
    /// open, if <paramref name="keepWaiting"/> says to stop waiting first. Control threads, under the client lock.
    /// </summary>
    /// <remarks>
    /// jack_client_close stops the client's threads with pthread_cancel, and JACK2 makes its threads
    /// asynchronously cancellable. A thread cancelled inside one of our callbacks — in managed code, in Csound, in
    /// Python — is unwound through frames that cannot be unwound: the process aborts ("terminate called without
    /// an active exception") or the audio thread vanishes mid-k-cycle. With a running server jack_deactivate waits
    /// for the process callback in flight and no callback follows; after a shutdown nothing waits, so we do: until
    /// no thread is inside, then <see cref="QuietMargin"/> more for it to get back through the runtime's transition
    /// code into libjack, where it blocks on the dead server and can be cancelled safely.
    /// </remarks>
    private bool CloseWhenQuiet(JackClient c, Func<bool> keepWaiting)
    {
        if (!WaitUntilNoCallback(keepWaiting)) return false;
        if (!c.ServerGone)
        {
            c.Deactivate();
            if (!WaitUntilNoCallback(keepWaiting)) return false; // a notification still returning
        }
        Thread.Sleep(QuietMargin);
        c.Dispose();
        return true;
    }

    private bool WaitUntilNoCallback(Func<bool> keepWaiting)
    {
        var waited = Stopwatch.StartNew();
        var said = false;
        while (processing || Volatile.Read(ref notifying) != 0)
        {
            if (!keepWaiting()) return false;
            if (!said && waited.Elapsed > TimeSpan.FromSeconds(1))
            {
                options.Log?.Invoke("waiting for the audio callback to return before closing the JACK client");
                said = true;
            }
            Thread.Sleep(1);
        }
        return true;
    }

    public void Dispose()
    {
        if (!self.IsAllocated) return;
        Stop();
        if (Current != State.LeftOpen) self.Free();
        wake.Dispose();
    }
}
