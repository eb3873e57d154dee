namespace CsPyLive.Python.Reload;

/// <summary>One hot reload as the stats file reports it.</summary>
/// <param name="File">The saved file.</param>
/// <param name="Ok">Whether the new code is live.</param>
/// <param name="Error">Why not (compile error with file and line, or the module code's traceback).</param>
/// <param name="SaveToLiveMilliseconds">From the save being seen to the new code being live.</param>
/// <param name="AtSeconds">The performance time of the swap.</param>
/// <param name="AppliedIn">Where the module code ran: "gap" (on the control thread in the audio thread's idle gap
/// between callbacks), "audio_thread" (at a k-boundary on the audio thread), or "none" (it never ran).</param>
/// <param name="StallMicroseconds">How long the audio thread was, or may have been, held up by this reload: the
/// whole swap when it ran on the audio thread; for a gap swap, the overlap with a callback that had started (an upper
/// bound on its wait for the GIL), usually 0.</param>
/// <param name="RolledBack">Why it was undone after going live (it raised where the previous version did not, or by
/// hand); then <paramref name="Ok"/> is false, since its code no longer runs.</param>
public sealed record ReloadRecord(string File, bool Ok, string? Error, double StallMicroseconds, double SaveToLiveMilliseconds,
    double AtSeconds, string AppliedIn = "none", string? RolledBack = null);
