using System.Diagnostics;
using System.Text.Json;

namespace CsPyLive.Tests.Support;

/// <summary>
/// An orchestra that plays a 440 Hz sine and, one second in, calls a Python function (<c>pycall1i</c>, so inside
/// the audio callback) that runs <see cref="Blocker"/>: an audio thread held in one C call, which the watchdog
/// cannot interrupt (<c>time.sleep</c> lets go of the GIL meanwhile; a C loop such as <c>sum(range(...))</c> keeps
/// it). Marker files say when the call started and whether it finished; the function lives in <see cref="Module"/>,
/// a file the host watches for saves.
/// </summary>
public sealed class StallingPatch
{
    private readonly TempDir dir;

    public StallingPatch(TempDir dir, string blocker)
    {
        this.dir = dir;
        Blocker = blocker;
        Module = dir.Write("stall.py", $"""
            import time
            def stall():
                open({Literal(Entered)}, "w").close()
                {blocker}
                open({Literal(Left)}, "w").close()
                return 0.0
            """);
        Csd = dir.Write("stall.csd", $"""
            <CsoundSynthesizer>
            <CsInstruments>
            sr = 48000
            ksmps = 64
            nchnls = 1
            0dbfs = 1
            pyinit
            pyruni "exec(open('{Module}').read())"
            instr 1
              out oscili(0.3, 440)
            endin
            instr 2
              i0 pycall1i "stall"
            endin
            </CsInstruments>
            <CsScore>
            i1 0 3600
            i2 1 0.1
            </CsScore>
            </CsoundSynthesizer>
            """);
    }

    /// <summary>The Python statement that holds the audio thread, e.g. <c>time.sleep(1.5)</c>.</summary>
    public string Blocker { get; }
    public string Csd { get; }
    public string Module { get; }
    public string Entered => dir.File("entered");
    public string Left => dir.File("left");

    /// <summary>Waits until the Python call has started (the audio thread is now held); false on timeout or exit.</summary>
    public bool WaitUntilEntered(BackgroundProcess play, TimeSpan timeout) => WaitFor(Entered, play, timeout);

    /// <summary>Waits until the Python call has finished; false on timeout or exit.</summary>
    public bool WaitUntilLeft(BackgroundProcess play, TimeSpan timeout) => WaitFor(Left, play, timeout);

    private static bool WaitFor(string file, BackgroundProcess play, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(file) && watch.Elapsed < timeout && !play.HasExited) Thread.Sleep(10);
        return File.Exists(file);
    }

    /// <summary>A path as a Python string literal.</summary>
    private static string Literal(string path) => JsonSerializer.Serialize(path);
}
