namespace CsPyLive.Csound;

/// <summary>Csound refused something the host asked (a compile, a start); the message says what, for a user.</summary>
public sealed class CsoundException(string message) : Exception(message);
