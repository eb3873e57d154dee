using System.Globalization;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// One line of link_probe's output: <c>peers N tempo T beat B phase P playing 0|1 grid G gridbeat GB next_beat NB
/// next_bar NR</c> (see link_probe.c).
/// </summary>
public sealed record ProbeLine(int Peers, double Tempo, double Beat, double Phase, bool Playing, long Grid, double GridBeat, long NextBeat, long NextBar)
{
    public static ProbeLine? Parse(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 18 || f[0] != "peers") return null;
        var inv = CultureInfo.InvariantCulture;
        return new ProbeLine(int.Parse(f[1], inv), double.Parse(f[3], inv), double.Parse(f[5], inv), double.Parse(f[7], inv),
            f[9] == "1", long.Parse(f[11], inv), double.Parse(f[13], inv), long.Parse(f[15], inv), long.Parse(f[17], inv));
    }

    /// <summary>True if <paramref name="line"/> is a probe line that satisfies <paramref name="match"/>.</summary>
    public static bool Is(string line, Func<ProbeLine, bool> match) => Parse(line) is { } p && match(p);
}
