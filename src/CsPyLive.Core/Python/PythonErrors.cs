using System.Diagnostics;

namespace CsPyLive.Python;

/// <summary>
/// Counts the Python exceptions raised by orchestra calls at perf time (repeats included) and when the last one was,
/// so hot reload can tell whether new code raises where the old did not. Written by the performing thread; read
/// anywhere. Allocation-free.
/// </summary>
public static class PythonErrors
{
    private static long count;
    private static long lastAt;

    public static long Count => Interlocked.Read(ref count);

    /// <summary>Stopwatch timestamp of the last exception; 0 if none yet.</summary>
    public static long LastAt => Interlocked.Read(ref lastAt);

    internal static void Note()
    {
        Interlocked.Increment(ref count);
        Interlocked.Exchange(ref lastAt, Stopwatch.GetTimestamp());
    }
}
