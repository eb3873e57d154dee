namespace CsPyLive.Config;

/// <summary>
/// A setting that cannot be used, in one style wherever it came from: <c>ORIGIN: KEY: what is wrong and what is
/// allowed</c>, where ORIGIN is a file (<c>patch.yaml</c>, <c>config/cspylive.yaml</c>) or <c>command line</c>, and
/// KEY a dotted path (<c>midi.channels.1.instrument</c>) or an option (<c>--period</c>). Where the file itself is
/// wrong (not YAML, an unknown key) the place is its line and column: <c>patch.yaml: line 2, column 3: what is wrong</c>.
/// </summary>
/// <remarks>Section validators (MIDI, OSC) know the key but not the file: they throw without an origin, and the reader
/// that loaded the file adds it with <see cref="In"/>.</remarks>
public sealed class ConfigException : Exception
{
    public ConfigException(string key, string problem, string? origin = null, Exception? inner = null)
        : base(Format(origin, key, problem), inner)
    {
        Key = key;
        Problem = problem;
        Origin = origin;
    }

    private ConfigException(string origin, int line, int column, string problem, Exception? inner)
        : base($"{origin}: line {line}{(column > 0 ? $", column {column}" : "")}: {problem}", inner)
    {
        Key = "";
        Problem = problem;
        Origin = origin;
        Line = line;
    }

    /// <summary>The file, or "command line"; null until known.</summary>
    public string? Origin { get; }

    /// <summary>The setting's path (<c>audio.period</c>, <c>osc.routes[2]</c>) or option (<c>--period</c>); empty for a syntax error.</summary>
    public string Key { get; }

    /// <summary>What is wrong, and what is allowed.</summary>
    public string Problem { get; }

    /// <summary>The line a syntax error is on (1-based); null for a value error.</summary>
    public int? Line { get; }

    /// <summary>The origin for command-line options.</summary>
    public const string CommandLine = "command line";

    /// <summary>A file that is not valid YAML, or not of the expected shape, at a line and column (0: unknown).</summary>
    public static ConfigException AtLine(string origin, int line, int column, string problem, Exception? inner = null) =>
        new(origin, line, column, problem, inner);

    /// <summary>The same problem, said of <paramref name="origin"/>.</summary>
    public ConfigException In(string origin) =>
        Line is { } line ? new(origin, line, 0, Problem, this) : new(Key, Problem, origin, this);

    private static string Format(string? origin, string key, string problem) =>
        (origin is null ? "" : origin + ": ") + (key.Length == 0 ? "" : key + ": ") + problem;
}
