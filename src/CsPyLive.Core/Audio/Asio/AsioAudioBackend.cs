using System.Runtime.CompilerServices;
using NAudio.Wave;
using NAudio.Wave.Asio;

namespace CsPyLive.Audio.Asio;

/// <summary>
/// Plays through an ASIO driver (Windows), the callback this host is specified for: the engine runs inside the
/// driver's buffer switch (<see cref="IAsioDriver.AudioAvailable"/>) and writes straight into the driver's output
/// buffers in the driver's own sample type (<see cref="SampleConverters"/>), with no ring in between; the period is
/// the driver's buffer size.
/// </summary>
/// <remarks>
/// <para>Threads: construction, <see cref="Start"/>, <see cref="Stop"/> and <see cref="Dispose"/> on a control
/// thread; <see cref="OnAudioAvailable"/> on the driver's thread, where nothing allocates (scratch buffers are sized
/// for the driver's largest buffer at construction); reset requests on the driver's thread, handled on a supervisor
/// thread.</para>
/// <para>A reset request (the performer changed the buffer size in the control panel, the clock source was lost)
/// counts as an xrun; the driver is then closed and opened again, and the same callback resumes after
/// <see cref="IAudioCallback.AboutToStart"/> with <see cref="AudioStart.IsRestart"/>, as after a JACK restart.
/// NAudio 2.2.1 acknowledges resync requests without passing them on, so those cannot be counted.</para>
/// </remarks>
public sealed unsafe class AsioAudioBackend : IAudioBackend
{
    private readonly Func<IAsioDriver> open;
    private readonly Action<string>? log;
    private readonly int outputChannels;
    private readonly int inputChannels;
    private readonly AutoResetEvent resetRequested = new(false);
    private readonly object driverLock = new();
    private float[] output = [];
    private float[] input = [];
    private IAsioDriver driver;
    private DeviceSampleType outputType;
    private IAudioCallback? callback;
    private Thread? supervisor;
    private volatile bool stopping;
    private volatile bool processing;
    private volatile int periodFrames;
    private long xruns;
    private long callbackErrors;
    private long callbacks;
    private long resets;

    /// <summary>
    /// Opens the driver <paramref name="open"/> returns for an orchestra of <paramref name="sampleRate"/> Hz. Throws
    /// <see cref="AudioDeviceException"/> when the driver cannot run at that rate (naming both rates), has
    /// too few channels, or stores samples in a type not handled here.
    /// </summary>
    public AsioAudioBackend(int sampleRate, int outputChannels, int inputChannels, Func<IAsioDriver> open, Action<string>? log = null)
    {
        SampleRate = sampleRate;
        this.outputChannels = outputChannels;
        this.inputChannels = inputChannels;
        this.open = open;
        this.log = log;
        driver = OpenDriver();
    }

    public string Name => "asio";
    public string DeviceName => driver.Name;
    public string DeviceDescription
    {
        get
        {
            var (min, preferred, max) = driver.BufferSizes;
            return $"on ASIO driver '{driver.Name}' (buffer {periodFrames} frames; the driver allows {min} to {max}, prefers {preferred})";
        }
    }
    public bool IsAudible => true;
    public int SampleRate { get; }
    public int PeriodFrames => periodFrames;
    public int OutputChannels => outputChannels;
    public long Xruns => Interlocked.Read(ref xruns);
    public long CallbackErrors => Interlocked.Read(ref callbackErrors);
    public long Callbacks => Interlocked.Read(ref callbacks);

    /// <summary>Times the driver asked to be reset and was opened again.</summary>
    public long Resets => Interlocked.Read(ref resets);

    /// <summary>The driver's sample type for outputs, as this backend writes it.</summary>
    public DeviceSampleType OutputType => outputType;

    private IAsioDriver OpenDriver()
    {
        var d = open();
        try
        {
            if (!d.SupportsSampleRate(SampleRate))
                throw new AudioDeviceException($"the ASIO driver '{d.Name}' does not run at the orchestra's sr of {SampleRate} Hz " +
                    $"(it runs at {d.SampleRate} Hz); set sr = {d.SampleRate} in the orchestra or change the driver's rate in its control panel");
            if (d.DriverOutputChannels < outputChannels)
                throw new AudioDeviceException($"the ASIO driver '{d.Name}' has {d.DriverOutputChannels} outputs; the orchestra has nchnls = {outputChannels}");
            if (d.DriverInputChannels < inputChannels)
                throw new AudioDeviceException($"the ASIO driver '{d.Name}' has {d.DriverInputChannels} inputs; the orchestra asks for {inputChannels}");
            outputType = TypeOf(d.OutputSampleType, d.Name);
            var frames = d.Prepare(SampleRate, outputChannels, inputChannels);
            var largest = Math.Max(frames, d.BufferSizes.Maximum);
            if (output.Length < largest * outputChannels) output = new float[largest * outputChannels];
            if (input.Length < largest * inputChannels) input = new float[largest * inputChannels];
            periodFrames = frames;
            d.AudioAvailable += OnAudioAvailable;
            d.ResetRequested += OnResetRequested;
            return d;
        }
        catch
        {
            d.Dispose();
            throw;
        }
    }

    /// <summary>The little-endian types an ASIO driver may use that <see cref="SampleConverters"/> handles; allocation-free.</summary>
    public static bool TryTypeOf(AsioSampleType type, out DeviceSampleType converted)
    {
        converted = type switch
        {
            AsioSampleType.Int16LSB => DeviceSampleType.Int16,
            AsioSampleType.Int24LSB => DeviceSampleType.Int24,
            AsioSampleType.Int32LSB => DeviceSampleType.Int32,
            AsioSampleType.Float32LSB => DeviceSampleType.Float32,
            _ => DeviceSampleType.Float64,
        };
        return type is AsioSampleType.Int16LSB or AsioSampleType.Int24LSB or AsioSampleType.Int32LSB
            or AsioSampleType.Float32LSB or AsioSampleType.Float64LSB;
    }

    private static DeviceSampleType TypeOf(AsioSampleType type, string driver) => TryTypeOf(type, out var converted) ? converted
        : throw new AudioDeviceException($"the ASIO driver '{driver}' uses samples of type {type}, which this host does not write " +
            "(it writes Int16LSB, Int24LSB, Int32LSB, Float32LSB and Float64LSB)");

    public void Start(IAudioCallback callback)
    {
        if (this.callback is not null) throw new InvalidOperationException("already started");
        this.callback = callback;
        callback.AboutToStart(new AudioStart(SampleRate, periodFrames, IsRestart: false));
        supervisor = new Thread(Supervise) { IsBackground = true, Name = "cspylive-asio-supervisor" };
        supervisor.Start();
        lock (driverLock) driver.Start();
    }

    /// <summary>The driver's buffer switch: inputs in, one period of the engine, outputs out in the driver's type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no JIT tier-up inside the driver's callback
    internal void OnAudioAvailable(object? sender, AsioAudioAvailableEventArgs e)
    {
        var target = callback;
        if (target is null || stopping) return;
        processing = true;
        try
        {
            var frames = Math.Min(e.SamplesPerBuffer, output.Length / Math.Max(1, outputChannels));
            if (inputChannels > 0 && TryTypeOf(e.AsioSampleType, out var inType))
            {
                for (var ch = 0; ch < inputChannels && ch < e.InputBuffers.Length; ch++)
                    SampleConverters.Interleave((byte*)e.InputBuffers[ch], inType, frames, input, ch, inputChannels);
            }
            var outSpan = output.AsSpan(0, frames * outputChannels);
            try
            {
                target.Process(new AudioBuffers(outSpan, input.AsSpan(0, frames * inputChannels), frames));
            }
            catch
            {
                outSpan.Clear();
                Interlocked.Increment(ref callbackErrors);
            }
            for (var ch = 0; ch < outputChannels && ch < e.OutputBuffers.Length; ch++)
                SampleConverters.Deinterleave(outSpan, ch, outputChannels, frames, (byte*)e.OutputBuffers[ch], outputType);
            e.WrittenToOutputBuffers = true;
            Interlocked.Increment(ref callbacks);
        }
        finally
        {
            processing = false;
        }
    }

    private void OnResetRequested(object? sender, EventArgs e)
    {
        Interlocked.Increment(ref xruns);
        resetRequested.Set(); // never reset from the driver's own thread: the supervisor does it
    }

    /// <summary>Supervisor thread: closes and reopens the driver after a reset request, until stopped.</summary>
    private void Supervise()
    {
        while (true)
        {
            resetRequested.WaitOne();
            if (stopping) return;
            lock (driverLock)
            {
                if (stopping) return;
                log?.Invoke($"the ASIO driver '{driver.Name}' asked to be reset; reopening it");
                CloseDriver();
                callback!.Stopped();
                try
                {
                    driver = OpenDriver();
                    callback.AboutToStart(new AudioStart(SampleRate, periodFrames, IsRestart: true));
                    driver.Start();
                    Interlocked.Increment(ref resets);
                    log?.Invoke($"the ASIO driver '{driver.Name}' is back ({periodFrames} frames a period); playing resumes");
                }
                catch (Exception ex)
                {
                    log?.Invoke($"the ASIO driver could not be reopened: {ex.Message}");
                    return;
                }
            }
        }
    }

    private void CloseDriver()
    {
        driver.AudioAvailable -= OnAudioAvailable;
        driver.ResetRequested -= OnResetRequested;
        driver.Stop();
        driver.Dispose();
    }

    public void Stop()
    {
        if (callback is null || stopping) return;
        stopping = true;
        resetRequested.Set();
        supervisor?.Join();
        lock (driverLock)
        {
            driver.Stop(); // ASIOStop returns once the buffer switch in flight has finished
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (processing && waited.Elapsed < IAudioBackend.StopWait) Thread.Sleep(1);
            if (!processing) callback.Stopped();
        }
    }

    public void Dispose()
    {
        Stop();
        lock (driverLock)
        {
            if (!processing) CloseDriver();
        }
        resetRequested.Dispose();
    }
}
