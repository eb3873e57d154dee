using CsPyLive.Audio;
using CsPyLive.Audio.Jack;
using CsPyLive.Audio.Null;
using CsPyLive.Audio.Offline;

namespace CsPyLive.Live;

/// <summary>A backend, and why it was chosen when it is not the one asked for (<c>auto</c> falling back).</summary>
public readonly record struct BackendChoice(IAudioBackend Backend, string? FallbackReason);

/// <summary>
/// Opens the backend a show asks for. <c>auto</c> is JACK when a server runs (none is started) and the null clock
/// otherwise; <c>jack</c> without a server throws <see cref="JackServerUnavailableException"/>; <c>offline</c>
/// renders to the show's output file. Control thread.
/// </summary>
public static class AudioBackendFactory
{
    public static BackendChoice Open(ShowOptions options, int sampleRate, int outputChannels, int inputChannels)
    {
        IAudioBackend Null() => new NullAudioBackend(sampleRate, options.Period, outputChannels, inputChannels);
        switch (options.Audio)
        {
            case "offline":
                var (path, format) = options.Output ?? throw new ArgumentException("offline needs an output file", nameof(options));
                long? frames = options.Duration is { } d ? (long)Math.Round(d * sampleRate) : null;
                return new(new OfflineAudioBackend(path, sampleRate, outputChannels, format, frames), null);
            case "null":
                return new(Null(), null);
            case "auto" when !JackAudioBackend.LibraryAvailable():
                return new(Null(), "libjack is not installed; using the null backend (a real-time clock, no device)");
        }
        try
        {
            return new(new JackAudioBackend(sampleRate, outputChannels, inputChannels, options.Jack), null);
        }
        catch (JackServerUnavailableException) when (options.Audio == "auto")
        {
            return new(Null(), "no JACK server is running; using the null backend (a real-time clock, no device)");
        }
    }
}
