using System.Runtime.InteropServices;
using CsPyLive.Audio;
using CsPyLive.Audio.Asio;
using NAudio.Wave;
using NAudio.Wave.Asio;

namespace CsPyLive.Tests.Audio;

/// <summary>
/// An ASIO driver without hardware: one unmanaged buffer per channel of the given sample type, and a buffer switch
/// (<see cref="BufferSwitch"/>) that raises AudioAvailable with NAudio's own event arguments, as AsioOut does.
/// </summary>
internal sealed unsafe class SimulatedAsioDriver : IAsioDriver
{
    private readonly nint[] outputs;
    private readonly nint[] inputs;
    private readonly int rate;
    private AsioAudioAvailableEventArgs? args;

    public SimulatedAsioDriver(AsioSampleType type, int outputChannels, int inputChannels, int frames, int rate = 48000)
    {
        OutputSampleType = type;
        Frames = frames;
        this.rate = rate;
        var size = frames * SampleConverters.BytesPerSample(AsioAudioBackend.TryTypeOf(type, out var t) ? t : DeviceSampleType.Float64);
        outputs = Enumerable.Range(0, outputChannels).Select(_ => (nint)NativeMemory.AllocZeroed((nuint)size)).ToArray();
        inputs = Enumerable.Range(0, inputChannels).Select(_ => (nint)NativeMemory.AllocZeroed((nuint)size)).ToArray();
        DriverOutputChannels = outputChannels;
        DriverInputChannels = inputChannels;
    }

    public int Frames { get; }
    public string Name => "Simulated ASIO";
    public (int Minimum, int Preferred, int Maximum) BufferSizes => (32, Frames, 2048);
    public int DriverOutputChannels { get; }
    public int DriverInputChannels { get; }
    public AsioSampleType OutputSampleType { get; }
    public int SampleRate => rate;
    public bool Started { get; private set; }
    public bool Disposed { get; private set; }
    public IReadOnlyList<nint> Outputs => outputs;
    public IReadOnlyList<nint> Inputs => inputs;

    public event EventHandler<AsioAudioAvailableEventArgs>? AudioAvailable;
    public event EventHandler? ResetRequested;

    public bool SupportsSampleRate(int sampleRate) => sampleRate == rate;

    public int Prepare(int sampleRate, int outputChannels, int inputChannels)
    {
        args = new AsioAudioAvailableEventArgs(inputs, outputs, Frames, OutputSampleType);
        return Frames;
    }

    /// <summary>One period: the same event arguments each time, as the handler is what is measured.</summary>
    public void BufferSwitch()
    {
        args!.WrittenToOutputBuffers = false;
        AudioAvailable?.Invoke(this, args);
    }

    public bool WrittenToOutputBuffers => args?.WrittenToOutputBuffers ?? false;

    public void RequestReset() => ResetRequested?.Invoke(this, EventArgs.Empty);

    public void Start() => Started = true;
    public void Stop() => Started = false;

    public void Dispose()
    {
        if (Disposed) return;
        Disposed = true;
        foreach (var p in outputs.Concat(inputs)) NativeMemory.Free((void*)p);
    }
}
