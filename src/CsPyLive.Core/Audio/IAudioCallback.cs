namespace CsPyLive.Audio;

/// <summary>What a backend tells its callback when a run of periods begins.</summary>
/// <param name="SampleRate">Frames a second.</param>
/// <param name="PeriodFrames">Frames in each call of <see cref="IAudioCallback.Process"/> (the device's period; it may change later).</param>
/// <param name="IsRestart">True when the device went away and this run resumes the same performance on a new
/// connection: whatever the callback held from the old stream (half-received MIDI, held notes) is stale.</param>
/// <param name="IsRealtime">False when periods come as fast as the machine goes, on the caller's thread (offline):
/// then there is no idle gap between callbacks to wait for.</param>
public readonly record struct AudioStart(int SampleRate, int PeriodFrames, bool IsRestart, bool IsRealtime = true);

/// <summary>
/// What a backend drives, in the shape of JUCE's AudioIODeviceCallback: about-to-start, one call per period, stopped.
/// </summary>
/// <remarks>
/// <para><see cref="AboutToStart"/> runs on a control thread (or the backend's supervisor) before the first
/// <see cref="Process"/> of each run, including after a device restart; it may allocate, compile and log, since no
/// audio runs yet: real-time preparation belongs here. <see cref="Stopped"/> runs after the last <see cref="Process"/>
/// of a run has returned (stop, or the device lost), never on the audio thread.</para>
/// <para><see cref="Process"/> runs on the backend's audio thread. It must not allocate, block, do I/O or throw; it
/// fills <see cref="AudioBuffers.Output"/> completely.</para>
/// </remarks>
public interface IAudioCallback
{
    void AboutToStart(in AudioStart start);

    /// <summary>Fills one period. Returns the frames that carry the performance: fewer than asked once it has ended (the rest is silence).</summary>
    int Process(in AudioBuffers buffers);

    void Stopped();
}
