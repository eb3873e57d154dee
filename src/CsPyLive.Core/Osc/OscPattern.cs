namespace CsPyLive.Osc;

/// <summary>
/// OSC 1.0 address pattern matching on UTF-8 bytes: <c>?</c> (one character), <c>*</c> (any run of characters), both
/// within one part of the address (never across '/'); <c>[a-z]</c>, <c>[!x]</c> (a set, a range, a negated set);
/// <c>{a,b}</c> (alternatives). Allocation-free, and bounded: '*' is matched by the linear-time greedy method (no
/// exponential backtracking), and a pattern whose alternatives expand to more than <see cref="MaxVariants"/> variants,
/// or longer than <see cref="MaxLength"/>, matches nothing. So a hostile packet cannot make matching slow.
/// </summary>
public static class OscPattern
{
    public const int MaxLength = 256;
    public const int MaxVariants = 64;
    private const int MaxBraces = 4;

    /// <summary>True if <paramref name="pattern"/> holds any of the special characters.</summary>
    public static bool IsPattern(ReadOnlySpan<byte> pattern) => pattern.IndexOfAny("?*[{"u8) >= 0;

    /// <summary>True if the address pattern <paramref name="pattern"/> matches the address <paramref name="address"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> address)
    {
        if (pattern.Length > MaxLength || address.Length > MaxLength) return false;
        if (!IsPattern(pattern)) return pattern.SequenceEqual(address);
        if (pattern.Count((byte)'{') > MaxBraces) return false;
        var budget = MaxVariants;
        return Expand(pattern, address, ref budget);
    }

    /// <summary>Replaces the first {a,b} group by each alternative in turn.</summary>
    private static bool Expand(ReadOnlySpan<byte> p, ReadOnlySpan<byte> address, ref int budget)
    {
        var open = p.IndexOf((byte)'{');
        if (open < 0) return --budget >= 0 && MatchParts(p, address);
        var close = p[open..].IndexOf((byte)'}');
        if (close < 0) return false;
        close += open;
        var options = p[(open + 1)..close];
        var rest = p[(close + 1)..];
        Span<byte> variant = stackalloc byte[MaxLength];
        while (budget > 0)
        {
            var comma = options.IndexOf((byte)',');
            var option = comma < 0 ? options : options[..comma];
            var length = open + option.Length + rest.Length;
            p[..open].CopyTo(variant);
            option.CopyTo(variant[open..]);
            rest.CopyTo(variant[(open + option.Length)..]);
            if (Expand(variant[..length], address, ref budget)) return true;
            if (comma < 0) return false;
            options = options[(comma + 1)..];
        }
        return false;
    }

    /// <summary>Matches part by part ('/' separated): wildcards never cross a '/'.</summary>
    private static bool MatchParts(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s)
    {
        while (true)
        {
            var ps = p.IndexOf((byte)'/');
            var ss = s.IndexOf((byte)'/');
            if ((ps < 0) != (ss < 0)) return false;
            if (ps < 0) return MatchPart(p, s);
            if (!MatchPart(p[..ps], s[..ss])) return false;
            p = p[(ps + 1)..];
            s = s[(ss + 1)..];
        }
    }

    /// <summary>Glob matching of one part, greedy with one backtrack point: O(pattern · text).</summary>
    private static bool MatchPart(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s)
    {
        int pi = 0, si = 0, star = -1, mark = 0;
        while (si < s.Length)
        {
            if (pi < p.Length && p[pi] == (byte)'*')
            {
                star = pi++;
                mark = si;
                continue;
            }
            if (pi < p.Length && TokenMatches(p, pi, s[si], out var next))
            {
                pi = next;
                si++;
                continue;
            }
            if (star < 0) return false;
            pi = star + 1;
            si = ++mark;
        }
        while (pi < p.Length && p[pi] == (byte)'*') pi++;
        return pi == p.Length;
    }

    private static bool TokenMatches(ReadOnlySpan<byte> p, int pi, byte c, out int next)
    {
        next = pi + 1;
        switch (p[pi])
        {
            case (byte)'?':
                return true;
            case (byte)'[':
                var close = p[pi..].IndexOf((byte)']');
                if (close < 0) return false;
                next = pi + close + 1;
                return InSet(p[(pi + 1)..(pi + close)], c);
            default:
                return p[pi] == c;
        }
    }

    private static bool InSet(ReadOnlySpan<byte> set, byte c)
    {
        var negate = !set.IsEmpty && set[0] == (byte)'!';
        if (negate) set = set[1..];
        var found = false;
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == (byte)'-')
            {
                var (lo, hi) = set[i] <= set[i + 2] ? (set[i], set[i + 2]) : (set[i + 2], set[i]);
                if (c >= lo && c <= hi) found = true;
                i += 2;
            }
            else if (set[i] == c)
            {
                found = true;
            }
        }
        return found != negate;
    }
}
