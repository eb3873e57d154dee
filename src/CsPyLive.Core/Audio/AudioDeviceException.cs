namespace CsPyLive.Audio;

/// <summary>An audio device that cannot be found, opened or used; the message says which, why, and what exists.</summary>
public sealed class AudioDeviceException(string message) : Exception(message);
