namespace CsPyLive.Audio.Offline;

/// <summary>How samples are stored in a WAV file.</summary>
public enum SampleFormat
{
    /// <summary>32-bit IEEE float (WAVE_FORMAT_IEEE_FLOAT), unclipped: what <c>csound -f</c> writes.</summary>
    Float32,
    /// <summary>24-bit signed integer PCM, clipped at full scale.</summary>
    Pcm24,
    /// <summary>16-bit signed integer PCM, clipped at full scale.</summary>
    Pcm16,
}
