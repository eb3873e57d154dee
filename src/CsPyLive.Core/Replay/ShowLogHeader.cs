using System.Text.RegularExpressions;
using System.Text.Json.Serialization;

namespace CsPyLive.Replay;

/// <summary>The show log's first line: the patch as it was at the start, and what else a replay must match.</summary>
public sealed record ShowLogHeader
{
    /// <summary>The format's version (<see cref="ShowLogWriter.Version"/>); a reader refuses one it does not know.</summary>
    public int Cslog { get; init; } = ShowLogWriter.Version;
    public string Created { get; init; } = "";
    /// <summary>The folder that was played, for files the log does not hold (samples...).</summary>
    public string Patch { get; init; } = "";
    /// <summary>The CSD's file name in that folder.</summary>
    public string Csd { get; init; } = "";
    public double SampleRate { get; init; }
    public int Ksmps { get; init; }
    public int OutputChannels { get; init; }
    /// <summary>The seed of Python's <c>random</c>, set before the orchestra's Python ran.</summary>
    public long? PythonSeed { get; init; }
    public double PythonBudgetMs { get; init; }
    /// <summary>Events started on their own frame (Csound's --sample-accurate, as live play runs); a replay does the same.</summary>
    public bool SampleAccurate { get; init; }
    /// <summary>The patch's text files (CSD, Python, YAML...) as they were when the show started, by name.</summary>
    public Dictionary<string, string> Files { get; init; } = [];
    /// <summary>Its other files (samples...), not copied: a replay uses them from <see cref="Patch"/>.</summary>
    public List<string> OtherFiles { get; init; } = [];
    /// <summary>Where a replay may not match the show, found at the start (a clock-seeded orchestra, Python reading the clock).</summary>
    public List<string> MayDiverge { get; init; } = [];

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".csd", ".orc", ".sco", ".inc", ".udo", ".py", ".yaml", ".yml", ".json", ".txt", ".md" };

    /// <summary>Python that makes a replay differ: it reads the clock or the network.</summary>
    private static readonly Regex Unrepeatable = new(@"\b(time\.(time|monotonic|perf_counter|time_ns)|datetime\.(now|today)|import\s+(socket|urllib|requests|http)|os\.urandom|secrets\.)",
        RegexOptions.Compiled);

    /// <summary>The header for a show of the patch in <paramref name="directory"/> (text files up to 4 MB are kept whole).</summary>
    public static ShowLogHeader Describe(string directory, string csdPath, double sampleRate, int ksmps, int outputChannels, long? pythonSeed, double budgetMs,
        bool sampleAccurate = false)
    {
        var files = new Dictionary<string, string>();
        var others = new List<string>();
        var diverge = new List<string>();
        foreach (var f in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(f);
            if (TextExtensions.Contains(Path.GetExtension(f)) && new FileInfo(f).Length <= 4 << 20) files[name] = File.ReadAllText(f);
            else others.Add(name);
        }
        var csd = files.GetValueOrDefault(Path.GetFileName(csdPath), "");
        if (Regex.IsMatch(csd, @"^\s*seed\s+0\b", RegexOptions.Multiline))
            diverge.Add($"{Path.GetFileName(csdPath)}: 'seed 0' seeds Csound's random opcodes from the clock");
        foreach (var (name, text) in files.Where(x => x.Key.EndsWith(".py", StringComparison.OrdinalIgnoreCase)))
            if (Unrepeatable.Match(text) is { Success: true } m)
                diverge.Add($"{name}: reads the clock or the network ({m.Value.Trim()})");
        return new ShowLogHeader
        {
            Created = DateTimeOffset.Now.ToString("o"), Patch = directory, Csd = Path.GetFileName(csdPath), SampleRate = sampleRate, Ksmps = ksmps,
            OutputChannels = outputChannels, PythonSeed = pythonSeed, PythonBudgetMs = budgetMs, SampleAccurate = sampleAccurate, Files = files, OtherFiles = others, MayDiverge = diverge,
        };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShowLogHeader))]
internal sealed partial class ShowLogJson : JsonSerializerContext;
