namespace CsPyLive.Audio.Jack;

/// <summary>JACK refused something the host needs (a port, a sample rate, activation). The message says what to do.</summary>
public class JackException(string message) : Exception(message);

/// <summary>
/// No JACK server is running (the client is opened with JackNoStartServer, so none is started behind the user's
/// back). <c>--audio auto</c> falls back to the null backend on this one.
/// </summary>
public sealed class JackServerUnavailableException(string message) : JackException(message);
