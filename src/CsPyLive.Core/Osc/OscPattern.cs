namespace CsPyLive.Osc;

/// <summary>
/// OSC 1.0 address pattern matching on UTF-8 bytes: <c>?</c> (one character), <c>*</c> (any run of characters), both
/// within one part of the address (never across '/'); <c>[a-z]</c>, <c>[!x]</c> (a set, a range, a negated set);
/// <c>{a,b}</c> (alternatives). Allocation-free. The work is bounded: patterns longer than <see cref="MaxLength"/> or
/// with more than <see cref="MaxStars"/> stars match nothing, so a hostile packet cannot make matching slow.
/// </summary>
public static class OscPattern
{
    public const int MaxLength = 256;
    public const int MaxStars = 4;

    /// <summary>True if <paramref name="pattern"/> holds any of the special characters.</summary>
    public static bool IsPattern(ReadOnlySpan<byte> pattern) => pattern.IndexOfAny("?*[{"u8) >= 0;

    /// <summary>True if the address pattern <paramref name="pattern"/> matches the address <paramref name="address"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> address)
    {
        if (pattern.Length > MaxLength || address.Length > MaxLength) return false;
        if (!IsPattern(pattern)) return pattern.SequenceEqual(address);
        if (pattern.Count((byte)'*') > MaxStars) return false;
        return Match(pattern, address);
    }

    private static bool Match(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s)
    {
        while (!p.IsEmpty)
        {
            switch (p[0])
            {
                case (byte)'*':
                    while (!p.IsEmpty && p[0] == (byte)'*') p = p[1..];
                    // Try every split of the current part: '*' never eats a '/'.
                    for (var i = 0; ; i++)
                    {
                        if (Match(p, s[i..])) return true;
                        if (i == s.Length || s[i] == (byte)'/') return false;
                    }
                case (byte)'?':
                    if (s.IsEmpty || s[0] == (byte)'/') return false;
                    p = p[1..];
                    s = s[1..];
                    break;
                case (byte)'[':
                    var close = p.IndexOf((byte)']');
                    if (close < 0 || s.IsEmpty || s[0] == (byte)'/' || !InSet(p[1..close], s[0])) return false;
                    p = p[(close + 1)..];
                    s = s[1..];
                    break;
                case (byte)'{':
                    return MatchAlternatives(p, s);
                default:
                    if (s.IsEmpty || s[0] != p[0]) return false;
                    p = p[1..];
                    s = s[1..];
                    break;
            }
        }
        return s.IsEmpty;
    }

    private static bool MatchAlternatives(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s)
    {
        var close = p.IndexOf((byte)'}');
        if (close < 0) return false;
        var rest = p[(close + 1)..];
        var options = p[1..close];
        while (true)
        {
            var comma = options.IndexOf((byte)',');
            var option = comma < 0 ? options : options[..comma];
            if (s.StartsWith(option) && Match(rest, s[option.Length..])) return true;
            if (comma < 0) return false;
            options = options[(comma + 1)..];
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
