using System.Globalization;
using System.Text.RegularExpressions;

namespace CsPyLive.Live;

/// <summary>
/// How long a CSD's score lasts, read from its text for a render's progress bar: the latest end of its <c>i</c>
/// events (p2 + p3), <c>f</c> statements and <c>e</c>. <see cref="double.PositiveInfinity"/> for a score with no end
/// (no score, an empty one, <c>f0 z</c>): Csound then performs until stopped. Null when the text uses what this
/// simple reading does not follow (tempo, loops, macros, carried or relative times); the bar then shows no end.
/// </summary>
public static partial class ScoreLength
{
    public static double? Of(string csd)
    {
        var match = Score().Match(csd);
        if (!match.Success) return double.PositiveInfinity;
        var lines = match.Groups[1].Value.Split('\n')
            .Select(l => Comment().Replace(l, "").Trim())
            .Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) return double.PositiveInfinity;
        double end = 0;
        foreach (var line in lines)
        {
            var fields = line[1..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (line[0])
            {
                case 'i':
                    if (fields.Length < 3 || !Number(fields[1], out var start) || !Number(fields[2], out var length)) return null;
                    if (length > 0) end = Math.Max(end, start + length);
                    else end = Math.Max(end, start);
                    break;
                case 'f':
                    if (fields.Length < 2) return null;
                    if (fields[0] == "0" && fields[1] is "z" or "Z") return double.PositiveInfinity;
                    if (!Number(fields[1], out var at)) return null;
                    end = Math.Max(end, at);
                    break;
                case 'e':
                    return fields.Length > 0 && Number(fields[0], out var extra) ? Math.Max(end, extra) : end;
                default:
                    return null; // t, a, b, v, s, r, {, }, #, m, n, q, x...: not followed here
            }
        }
        return end;
    }

    private static bool Number(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    [GeneratedRegex(@"<CsScore[^>]*>(.*?)</CsScore>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Score();

    [GeneratedRegex(@"(;|//).*$|/\*.*?\*/")]
    private static partial Regex Comment();
}
