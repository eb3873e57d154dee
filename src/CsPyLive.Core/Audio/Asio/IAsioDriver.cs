using NAudio.Wave;
using NAudio.Wave.Asio;

namespace CsPyLive.Audio.Asio;

/// <summary>
/// An ASIO driver as <see cref="AsioAudioBackend"/> needs it: NAudio's <see cref="AsioOut"/> on Windows
/// (<see cref="NAudioAsioDriver"/>), a simulated driver in tests. It raises <see cref="AudioAvailable"/> from the
/// driver's buffer switch with NAudio's own event arguments: pointers to one buffer per channel, of
/// <see cref="OutputSampleType"/> for outputs and <see cref="AsioAudioAvailableEventArgs.AsioSampleType"/> for inputs.
/// </summary>
public interface IAsioDriver : IDisposable
{
    /// <summary>The driver's name, as <c>--device</c> takes it.</summary>
    string Name { get; }

    /// <summary>The driver's buffer sizes in frames: it decides the period; these are what it allows and prefers.</summary>
    (int Minimum, int Preferred, int Maximum) BufferSizes { get; }

    int DriverOutputChannels { get; }
    int DriverInputChannels { get; }

    /// <summary>What the driver's output buffers hold.</summary>
    AsioSampleType OutputSampleType { get; }

    /// <summary>The rate the driver runs at now.</summary>
    int SampleRate { get; }

    bool SupportsSampleRate(int sampleRate);

    /// <summary>
    /// Creates buffers for <paramref name="outputChannels"/> and <paramref name="inputChannels"/> at
    /// <paramref name="sampleRate"/>; returns the frames in each (the period).
    /// </summary>
    int Prepare(int sampleRate, int outputChannels, int inputChannels);

    /// <summary>The driver's buffer switch: fill the outputs, read the inputs. On the driver's thread.</summary>
    event EventHandler<AsioAudioAvailableEventArgs>? AudioAvailable;

    /// <summary>The driver asks to be reset (kAsioResetRequest: a setting changed in its control panel, a clock lost). Any thread.</summary>
    event EventHandler? ResetRequested;

    void Start();
    void Stop();
}
