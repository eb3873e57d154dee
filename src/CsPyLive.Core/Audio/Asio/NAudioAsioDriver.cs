using System.Runtime.Versioning;
using NAudio.Wave;
using NAudio.Wave.Asio;

namespace CsPyLive.Audio.Asio;

/// <summary>
/// A real ASIO driver through NAudio.Asio 2.2.1 (Windows): <see cref="AsioOut"/> drives the buffer switch. NAudio
/// raises <c>AudioAvailable</c> only while it records, so at least one input channel is always opened (an orchestra
/// without <c>-iadc</c> ignores it); the output then comes from our handler (<c>WrittenToOutputBuffers</c>), never
/// from the silent provider NAudio is given for the output format. Capabilities are read first through a
/// separate <see cref="AsioDriver"/>, released before <see cref="AsioOut"/> opens the driver for good.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class NAudioAsioDriver : IAsioDriver
{
    private readonly AsioOut asio;

    public NAudioAsioDriver(string name)
    {
        Name = name;
        var probe = AsioDriver.GetAsioDriverByName(name);
        try
        {
            probe.Init(IntPtr.Zero);
            probe.GetBufferSize(out var min, out var max, out var preferred, out _);
            BufferSizes = (min, preferred, max);
            probe.GetChannels(out var inputs, out var outputs);
            DriverInputChannels = inputs;
            DriverOutputChannels = outputs;
            OutputSampleType = outputs > 0 ? probe.GetChannelInfo(0, false).type : AsioSampleType.Float32LSB;
            SampleRate = (int)probe.GetSampleRate();
        }
        finally
        {
            probe.ReleaseComAsioDriver();
        }
        asio = new AsioOut(name);
        asio.AudioAvailable += (s, e) => AudioAvailable?.Invoke(s, e);
        asio.DriverResetRequest += (s, e) => ResetRequested?.Invoke(s, e);
    }

    /// <summary>The installed drivers' names (the registry's list).</summary>
    public static string[] DriverNames() => AsioOut.GetDriverNames();

    public string Name { get; }
    public (int Minimum, int Preferred, int Maximum) BufferSizes { get; }
    public int DriverOutputChannels { get; }
    public int DriverInputChannels { get; }
    public AsioSampleType OutputSampleType { get; }
    public int SampleRate { get; private set; }

    public event EventHandler<AsioAudioAvailableEventArgs>? AudioAvailable;
    public event EventHandler? ResetRequested;

    public bool SupportsSampleRate(int sampleRate) => asio.IsSampleRateSupported(sampleRate);

    public int Prepare(int sampleRate, int outputChannels, int inputChannels)
    {
        asio.InitRecordAndPlayback(new Silence(WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, outputChannels)),
            Math.Max(1, Math.Min(inputChannels, DriverInputChannels)), sampleRate);
        SampleRate = sampleRate;
        return asio.FramesPerBuffer;
    }

    public void Start() => asio.Play();

    public void Stop() => asio.Stop();

    public void Dispose() => asio.Dispose();

    /// <summary>The output format NAudio wants; never read, since the handler writes the buffers itself.</summary>
    private sealed class Silence(WaveFormat format) : IWaveProvider
    {
        public WaveFormat WaveFormat => format;

        public int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            return count;
        }
    }
}
