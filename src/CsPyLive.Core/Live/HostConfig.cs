using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CsPyLive.Live;

/// <summary>
/// Host defaults from <c>config/cspylive.yaml</c>: the audio backend and period, the JACK client, the Python
/// watchdog's budget, hot reload's automatic rollback. Command-line options override them. Unknown keys are an error
/// (a misspelt setting should not be silently ignored on stage).
/// </summary>
public sealed record HostConfig
{
    public AudioSection Audio { get; init; } = new();
    public PythonSection Python { get; init; } = new();
    public ReloadSection Reload { get; init; } = new();

    public sealed record AudioSection
    {
        private readonly string backend = "auto";

        /// <summary>auto, jack or null. YAML reads an unquoted <c>null</c> as no value: that means the null backend.</summary>
        public string Backend { get => backend; init => backend = value ?? "null"; }
        public int Period { get; init; } = 256;
        public string JackClient { get; init; } = "cspylive";
        public bool Connect { get; init; } = true;
    }

    public sealed record PythonSection
    {
        public double BudgetMs { get; init; } = 25;
    }

    public sealed record ReloadSection
    {
        public bool AutoRollback { get; init; } = true;
    }

    /// <summary>What is wrong with the values, for a user; null when they are usable.</summary>
    public string? Problem() =>
        Audio.Backend is not ("auto" or "null" or "jack") ? $"audio.backend must be auto, null or jack, not '{Audio.Backend}'"
        : Audio.Period is < 16 or > 8192 ? $"audio.period must be between 16 and 8192, not {Audio.Period}"
        : string.IsNullOrWhiteSpace(Audio.JackClient) ? "audio.jack_client must not be empty"
        : Python.BudgetMs <= 0 ? $"python.budget_ms must be positive, not {Python.BudgetMs}"
        : null;

    /// <summary>The file that applies: $CSPYLIVE_CONFIG, the checkout's config/cspylive.yaml, or the user's; null if none.</summary>
    public static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("CSPYLIVE_CONFIG");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", "cspylive.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        var user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "cspylive", "cspylive.yaml");
        return File.Exists(user) ? user : null;
    }

    /// <summary>Loads the config that applies (defaults if none). Throws <see cref="InvalidDataException"/> naming the line.</summary>
    public static HostConfig Load(string? path = null)
    {
        path ??= Locate();
        if (path is null) return new HostConfig();
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such config file");
        try
        {
            var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
            var config = yaml.Deserialize<HostConfig?>(File.ReadAllText(path)) ?? new HostConfig();
            var problem = config.Problem();
            return problem is null ? config : throw new InvalidDataException($"{path}: {problem}");
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
