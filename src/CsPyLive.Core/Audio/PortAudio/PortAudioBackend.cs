using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Audio.PortAudio.Interop;
using static CsPyLive.Audio.PortAudio.Interop.PortAudio;

namespace CsPyLive.Audio.PortAudio;

/// <summary>
/// Plays through PortAudio in callback mode: CoreAudio on macOS, WASAPI (and ASIO where PortAudio was built with it)
/// on Windows, ALSA (and through it PipeWire or PulseAudio) and JACK on Linux. The stream's callback runs the
/// <see cref="IAudioCallback"/> directly on PortAudio's audio thread: no ring in between, and a fixed period of
/// <see cref="PortAudioOptions.PeriodFrames"/> frames.
/// </summary>
/// <remarks>
/// <para>Buffers are float32 in the layout the host API has, so PortAudio's buffer processor passes the host's own
/// buffers through instead of copying them (<c>pa_process.c</c>, <c>skipOutputConvert</c>): interleaved (the engine
/// writes straight into them) for CoreAudio, WASAPI and ALSA; one buffer a channel for JACK, whose ports are, and
/// this backend interleaves and deinterleaves as its JACK backend does. Measured on JACK: interleaved buffers cost
/// the audio thread 11.5 us a period more than our JACK backend, since PortAudio then copies every sample.</para>
/// </remarks>
/// <remarks>
/// <para>Threads: construct (opens the stream, so a missing device, a busy one or a wrong rate is reported before
/// anything plays), <see cref="Start"/>, <see cref="Stop"/>, <see cref="Dispose"/> on a control thread; the stream
/// callback on PortAudio's thread, where nothing allocates or locks. PortAudio's underflow and overflow flags are
/// counted as xruns.</para>
/// <para>Stopping waits for the callback in flight, at most <see cref="IAudioBackend.StopWait"/>: a callback that never
/// returns leaves the stream open rather than hanging the stop.</para>
/// <para>Device loss: a supervisor thread watches the callbacks. When none has come for <see cref="LossAfter"/> and
/// none is running (a device unplugged, a server gone), the show goes on: the stream is closed, the callback is told
/// it stopped, and a null clock drives it (the recording runs on); every <see cref="RetryEvery"/> PortAudio rescans
/// its devices, and when one of the same name opens again the clock stops and the device resumes with
/// <see cref="AudioStart.IsRestart"/>, as the JACK backend does after a server restart.</para>
/// </remarks>
public sealed unsafe class PortAudioBackend : IAudioBackend
{
    private const uint XrunFlags = paInputUnderflow | paInputOverflow | paOutputUnderflow | paOutputOverflow;

    /// <summary>The most frames a callback handles (JACK's largest period; <c>--period</c> is checked against the same).</summary>
    private const int MaxFrames = 8192;

    /// <summary>How long without a callback (and none running) means the device is gone.</summary>
    public static readonly TimeSpan LossAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a lost device is looked for again.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(500);

    private readonly PortAudioOptions options;
    private readonly Action<string>? log;
    private readonly AutoResetEvent wake = new(false);
    private PortAudioSession session;
    private Thread? supervisor;
    private Null.NullAudioBackend? fallback;
    private volatile bool stopping;
    private volatile bool retired;   // the stream was given up as lost: its callbacks must not reach the engine
    private volatile bool wedged;    // closing a lost stream never returned: PortAudio must not be called again
    private long lastCallbackAt;
    private long reopens;
    private readonly int outputChannels;
    private readonly int inputChannels;
    private bool planar;                 // one buffer a channel (the JACK host API), through our scratch buffers
    private readonly float[] scratchOut;
    private readonly float[] scratchIn;
    private GCHandle self;
    private nint stream;
    private IAudioCallback? callback;
    private volatile bool processing;
    private bool leftOpen;
    private long xruns;
    private long callbackErrors;
    private long callbacks;
    private long processTicks;

    /// <summary>
    /// Opens <paramref name="options"/>' device for an orchestra of <paramref name="sampleRate"/> Hz. Throws
    /// <see cref="AudioDeviceException"/> naming the devices that exist (no such device), both rates (a rate the device
    /// cannot run at), or that another program holds it; <see cref="DllNotFoundException"/> without PortAudio.
    /// </summary>
    public PortAudioBackend(int sampleRate, int outputChannels, int inputChannels, PortAudioOptions options, Action<string>? log = null)
    {
        this.options = options;
        this.log = log;
        SampleRate = sampleRate;
        PeriodFrames = options.PeriodFrames;
        this.outputChannels = outputChannels;
        this.inputChannels = inputChannels;
        scratchOut = new float[MaxFrames * outputChannels];
        scratchIn = new float[MaxFrames * inputChannels];
        session = PortAudioSession.Open(options.JackClientName);
        try
        {
            Output = session.Find(options.Device);
            if (Output.OutputChannels < outputChannels)
                throw new AudioDeviceException($"the device '{Output.Name}' has {Output.OutputChannels} output channel(s); the orchestra has nchnls = {outputChannels}");
            Input = inputChannels == 0 ? null
                : Output.InputChannels >= inputChannels ? Output
                : session.Devices().FirstOrDefault(d => d.IsDefaultInput && d.InputChannels >= inputChannels)
                  ?? throw new AudioDeviceException($"no PortAudio input device has the {inputChannels} channel(s) the orchestra asks for (nchnls_i)");
            self = GCHandle.Alloc(this);
            stream = OpenStream();
        }
        catch
        {
            if (self.IsAllocated) self.Free();
            session.Dispose();
            throw;
        }
    }

    /// <summary>True if PortAudio can be loaded on this machine.</summary>
    public static bool LibraryAvailable() => PortAudioLibrary.IsAvailable();

    public string Name => "portaudio";
    public string DeviceName => Output.Name;
    public string DeviceDescription => $"on {Output.HostApi} device '{Output.Name}'";
    public bool IsAudible => true;
    public int SampleRate { get; }
    public int PeriodFrames { get; }
    public int OutputChannels => outputChannels;
    public long Xruns => Interlocked.Read(ref xruns) + (Volatile.Read(ref fallback)?.Xruns ?? 0);
    public long CallbackErrors => Interlocked.Read(ref callbackErrors);

    /// <summary>Stream callbacks so far.</summary>
    public long Callbacks => Interlocked.Read(ref callbacks);

    /// <summary>Stopwatch ticks spent inside our stream callback (from entry to return), summed: what PortAudio's own work does not include.</summary>
    public long ProcessTicks => Interlocked.Read(ref processTicks);

    public PortAudioDevice Output { get; private set; }
    public PortAudioDevice? Input { get; private set; }

    /// <summary>True while the device is gone and the null clock plays instead.</summary>
    public bool DeviceLost => Volatile.Read(ref fallback) is not null;

    /// <summary>Times a lost device was opened again.</summary>
    public long Reopens => Interlocked.Read(ref reopens);

    /// <summary>The stream's output latency as PortAudio reports it, in seconds.</summary>
    public double OutputLatency => stream == 0 ? 0 : Pa_GetStreamInfo(stream)->outputLatency;

    public int OutputLatencyFrames => OutputLatency is var s and > 0 ? (int)Math.Round(s * SampleRate) : PeriodFrames;

    private nint OpenStream()
    {
        planar = Output.HostApiType == paJACK;
        var format = new CULong(paFloat32 | (planar ? paNonInterleaved : 0));
        var output = new PaStreamParameters
        {
            device = Output.Index, channelCount = outputChannels, sampleFormat = format,
            suggestedLatency = Pa_GetDeviceInfo(Output.Index)->defaultLowOutputLatency,
        };
        var input = Input is null ? default : new PaStreamParameters
        {
            device = Input.Index, channelCount = inputChannels, sampleFormat = format,
            suggestedLatency = Pa_GetDeviceInfo(Input.Index)->defaultLowInputLatency,
        };
        var inputPointer = Input is null ? null : &input;
        var supported = Pa_IsFormatSupported(inputPointer, &output, SampleRate);
        if (supported == paInvalidSampleRate)
            throw new AudioDeviceException($"the device '{Output.Name}' ({Output.HostApi}) does not run at the orchestra's sr of {SampleRate} Hz " +
                $"(its default rate is {Output.DefaultSampleRate:0} Hz); set sr = {Output.DefaultSampleRate:0} in the orchestra or choose another device");
        nint s;
        var error = Pa_OpenStream(&s, inputPointer, &output, SampleRate, new CULong((uint)PeriodFrames),
            new CULong(paClipOff | paDitherOff), &OnStream, GCHandle.ToIntPtr(self));
        if (error == paDeviceUnavailable || (error == paUnanticipatedHostError && supported == paDeviceUnavailable))
            throw new AudioDeviceException($"the device '{Output.Name}' ({Output.HostApi}) is busy: another program is using it ({ErrorText(error)})");
        if (error != paNoError)
            throw new AudioDeviceException($"the device '{Output.Name}' ({Output.HostApi}) cannot be opened: {ErrorText(error)}");
        return s;
    }

    public void Start(IAudioCallback callback)
    {
        if (this.callback is not null) throw new InvalidOperationException("already started");
        this.callback = callback;
        callback.AboutToStart(new AudioStart(SampleRate, PeriodFrames, IsRestart: false));
        Volatile.Write(ref lastCallbackAt, System.Diagnostics.Stopwatch.GetTimestamp());
        var error = Pa_StartStream(stream);
        if (error != paNoError) throw new AudioDeviceException($"the device '{Output.Name}' did not start: {ErrorText(error)}");
        supervisor = new Thread(Supervise) { IsBackground = true, Name = "cspylive-portaudio-supervisor" };
        supervisor.Start();
    }

    /// <summary>Supervisor thread: notices a device that stopped calling, plays on the null clock, and reopens it.</summary>
    private void Supervise()
    {
        var lossTicks = (long)(LossAfter.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (!stopping)
        {
            wake.WaitOne(TimeSpan.FromMilliseconds(50));
            if (stopping) return;
            var silentFor = System.Diagnostics.Stopwatch.GetTimestamp() - Volatile.Read(ref lastCallbackAt);
            if (processing || silentFor < lossTicks) continue;
            log?.Invoke($"the device '{Output.Name}' stopped calling back; playing on the null clock (the recording goes on) " +
                $"and looking for it every {RetryEvery.TotalMilliseconds:0} ms");
            // The old stream must never call the engine again once the clock does: from here its callbacks return
            // silence at once, and one already inside is waited for.
            retired = true;
            while (processing) Thread.Sleep(1);
            callback!.Stopped();
            var clock = new Null.NullAudioBackend(SampleRate, PeriodFrames, outputChannels, inputChannels);
            Volatile.Write(ref fallback, clock);
            clock.Start(callback);
            if (!LetGo())
            {
                log?.Invoke($"PortAudio did not let go of the lost device within {IAudioBackend.StopWait.TotalSeconds:0} s (its JACK host " +
                    "API waits minutes for a server that is gone): the show plays on the null clock to its end. With JACK, " +
                    "--audio jack reconnects by itself.");
                wake.WaitOne(Timeout.Infinite); // until Stop; PortAudio is not touched again
                return;
            }
            while (!stopping && !wake.WaitOne(RetryEvery))
            {
                if (!TryReopen(clock)) continue;
                Interlocked.Increment(ref reopens);
                log?.Invoke($"the device '{Output.Name}' is back; playing on it again");
                break;
            }
        }
    }

    /// <summary>
    /// Closes the lost stream and ends the PortAudio session on a thread of their own, waiting at most
    /// <see cref="IAudioBackend.StopWait"/>; false (and PortAudio is wedged and never called again) when they do not return.
    /// </summary>
    private bool LetGo()
    {
        var lost = stream;
        var lostSession = session;
        stream = 0;
        using var done = new ManualResetEventSlim();
        var reaper = new Thread(() =>
        {
            Pa_AbortStream(lost); // on a dead JACK server PortAudio 19.6 waits here for 10 minutes
            Pa_CloseStream(lost);
            lostSession.Dispose();
            try { done.Set(); } catch (ObjectDisposedException) { }
        }) { IsBackground = true, Name = "cspylive-portaudio-reaper" };
        reaper.Start();
        if (done.Wait(IAudioBackend.StopWait)) return true;
        wedged = true;
        return false;
    }

    /// <summary>Rescans PortAudio's devices and opens the lost one again; on success the null clock has stopped and the stream runs.</summary>
    private bool TryReopen(Null.NullAudioBackend clock)
    {
        PortAudioSession? fresh = null;
        try
        {
            fresh = PortAudioSession.Open(options.JackClientName); // PortAudio scans devices only when it initialises
            var device = fresh.Find(Output.Name);
            session = fresh;
            Output = device;
            if (Input is not null) Input = Input.Name == Output.Name ? Output : fresh.Find(Input.Name);
            stream = OpenStream();
        }
        catch (Exception e) when (e is AudioDeviceException)
        {
            fresh?.Dispose();
            stream = 0;
            return false;
        }
        clock.Stop();
        Volatile.Write(ref fallback, null);
        retired = false;
        callback!.AboutToStart(new AudioStart(SampleRate, PeriodFrames, IsRestart: true));
        Volatile.Write(ref lastCallbackAt, System.Diagnostics.Stopwatch.GetTimestamp());
        var error = Pa_StartStream(stream);
        if (error != paNoError) log?.Invoke($"the device '{Output.Name}' did not start again: {ErrorText(error)}");
        return true;
    }

    [UnmanagedCallersOnly]
    private static int OnStream(void* input, void* output, CULong frames, PaStreamCallbackTimeInfo* time, CULong status, nint userData)
    {
        try
        {
            if (GCHandle.FromIntPtr(userData).Target is not PortAudioBackend b) return paAbort;
            b.processing = true;
            try { b.Process((float*)input, (float*)output, (int)frames.Value, (uint)status.Value); }
            finally { b.processing = false; }
            return paContinue;
        }
        catch
        {
            return paContinue; // nothing may cross back into C; Process catches the callback's exceptions itself
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no JIT tier-up inside the stream callback
    private void Process(float* input, float* output, int frames, uint status)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        Volatile.Write(ref lastCallbackAt, start);
        if ((status & XrunFlags) != 0 && (status & paPrimingOutput) == 0) Interlocked.Increment(ref xruns);
        var target = callback;
        frames = Math.Min(frames, MaxFrames);
        var outSpan = planar ? scratchOut.AsSpan(0, frames * outputChannels) : new Span<float>(output, frames * outputChannels);
        if (target is null || retired)
        {
            outSpan.Clear();
            if (planar) Deinterleave((float**)output, frames);
            return;
        }
        var inSpan = input == null ? ReadOnlySpan<float>.Empty
            : planar ? Interleave((float**)input, frames)
            : new ReadOnlySpan<float>(input, frames * inputChannels);
        try
        {
            target.Process(new AudioBuffers(outSpan, inSpan, frames));
        }
        catch
        {
            outSpan.Clear();
            Interlocked.Increment(ref callbackErrors);
        }
        if (planar) Deinterleave((float**)output, frames);
        Interlocked.Increment(ref callbacks);
        Interlocked.Add(ref processTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
    }

    /// <summary>PortAudio's buffer a channel into the scratch input, interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<float> Interleave(float** channels, int frames)
    {
        var count = inputChannels;
        for (var ch = 0; ch < count; ch++)
        {
            var src = channels[ch];
            for (var i = 0; i < frames; i++) scratchIn[i * count + ch] = src[i];
        }
        return scratchIn.AsSpan(0, frames * count);
    }

    /// <summary>The scratch output, interleaved, into PortAudio's buffer a channel (the JACK ports themselves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Deinterleave(float** channels, int frames)
    {
        var count = outputChannels;
        for (var ch = 0; ch < count; ch++)
        {
            var dst = channels[ch];
            for (var i = 0; i < frames; i++) dst[i] = scratchOut[i * count + ch];
        }
    }

    public void Stop()
    {
        if (callback is null || stopping || leftOpen) return;
        stopping = true;
        wake.Set();
        if (supervisor is not null && supervisor != Thread.CurrentThread) supervisor.Join();
        if (Volatile.Read(ref fallback) is { } clock)
        {
            clock.Stop(); // tells the callback it stopped
            Volatile.Write(ref fallback, null);
            return;
        }
        if (stream == 0) return;
        // Pa_StopStream waits for the callback in flight; one that never returns must not hang the stop.
        var stopper = new Thread(() => Pa_StopStream(stream)) { IsBackground = true, Name = "cspylive-portaudio-stop" };
        stopper.Start();
        if (!stopper.Join(IAudioBackend.StopWait) || processing)
        {
            leftOpen = true; // PortAudio may still call us: the GCHandle must stay valid
            return;
        }
        callback.Stopped();
    }

    public void Dispose()
    {
        Stop();
        if (leftOpen || wedged) return; // PortAudio is held elsewhere (a callback that never returned, a close that never did)
        if (stream != 0) Pa_CloseStream(stream);
        stream = 0;
        if (self.IsAllocated) self.Free();
        session.Dispose();
        wake.Dispose();
    }
}
