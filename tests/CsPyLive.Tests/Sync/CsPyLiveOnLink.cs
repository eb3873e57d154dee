using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// Runs <c>cspylive</c> (the build <see cref="ProcessRunner.CsPyLiveCommand"/> names) INSIDE a
/// <see cref="NetworkNamespace"/>, its stderr (where it logs) merged into stdout so that
/// <see cref="NamespaceProcess.WaitForLine"/> sees everything it says.
/// </summary>
public static class CsPyLiveOnLink
{
    public static NamespaceProcess Start(NetworkNamespace ns, IDictionary<string, string>? environment, params string[] args)
    {
        var (program, prefix) = ProcessRunner.CsPyLiveCommand;
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["CSPYLIVE_LINK_LIBRARY"] = LinkShim.LibraryPath,
        };
        return ns.Start("bash", ["-c", "exec \"$0\" \"$@\" 2>&1", program, .. prefix, .. args], env);
    }

    /// <summary>Types <c>status</c> until cspylive's status line says it has a peer; false after <paramref name="timeout"/>.</summary>
    public static bool WaitForPeer(NamespaceProcess cspylive, TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var from = cspylive.Lines.Count;
            cspylive.Send("status");
            if (cspylive.WaitForLine(l => l.Contains("(Link, ", StringComparison.Ordinal) && !l.Contains("(Link, 0 peers", StringComparison.Ordinal),
                    TimeSpan.FromMilliseconds(300), from) is not null)
                return true;
        }
        return false;
    }

    /// <summary>A patch (folder) whose orchestra prints <c>tempo N</c> each time the clock's tempo channel changes.</summary>
    public static string TempoPrinter(TempDir dir) => dir.Write("tempo.csd", TestEngines.Csd("""
        instr 1
          ktempo chnget "tempo"
          kchanges init 0
          kchanges += changed2(ktempo)
          printf "tempo %.3f\n", kchanges, ktempo ; printed when the count moves: each change, even two k-cycles running
        endin
        """, "i1 0 600"));

    /// <summary>
    /// A metronome: a single sample of 1.0 on the frame where the beat channel crosses a whole number, placed inside
    /// the k-cycle from the beat and tempo at its first frame (<c>vaset</c> at the offset), so it lands on its frame
    /// at any ksmps. Whole beat n is due (n - beat) * 60 * sr / tempo frames into the k-cycle; the first n not more
    /// than half a frame behind is the one due, and a k-cycle clicks only when it holds that frame. The last beat
    /// clicked is kept, so that a timeline nudged forward between two k-cycles makes a click late, never lost.
    /// </summary>
    public static string Metronome(TempDir dir, int ksmps = 64) => dir.Write("metronome.csd", TestEngines.Csd("""
        instr 1
          kbeat chnget "beat"
          ktempo chnget "tempo"
          aclick = 0
          klast init -1e9
          if ktempo > 0 then
            kspb = 60 * sr / ktempo
            kn = (klast < -1e8 ? ceil(kbeat - 0.5 / kspb) : klast + 1)
            kat = floor((kn - kbeat) * kspb + 0.5)
            if kat < ksmps then
              vaset 1, max(kat, 0), aclick
              klast = kn
            endif
          endif
          outs aclick, aclick
        endin
        """, "i1 0 600", header: $"sr = 48000\nksmps = {ksmps}\nnchnls = 2\n0dbfs = 1"));
}
