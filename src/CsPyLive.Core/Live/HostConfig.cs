using CsPyLive.Config;

namespace CsPyLive.Live;

/// <summary>
/// Host defaults from <c>config/cspylive.yaml</c>: the audio backend and period, the JACK client, the Python
/// watchdog's budget, hot reload's automatic rollback. Command-line options override them (see
/// <see cref="ShowOptions"/>). Unknown keys are an error (a misspelt setting should not be silently ignored on stage).
/// </summary>
public sealed record HostConfig
{
    public AudioSection Audio { get; init; } = new();
    public PythonSection Python { get; init; } = new();
    public ReloadSection Reload { get; init; } = new();

    /// <summary>The file's keys.</summary>
    public static readonly YamlSchema<HostConfig> Yaml = new YamlSchema<HostConfig>()
        .Key("audio", (c, v) => c with { Audio = v.Record(AudioSection.Yaml) })
        .Key("python", (c, v) => c with { Python = v.Record(PythonSection.Yaml) })
        .Key("reload", (c, v) => c with { Reload = v.Record(ReloadSection.Yaml) });

    public sealed record AudioSection
    {
        private readonly string backend = "auto";

        /// <summary>auto, jack, portaudio, asio or null. YAML reads an unquoted <c>null</c> as no value: that means the null backend.</summary>
        public string Backend { get => backend; init => backend = value ?? "null"; }
        public int Period { get; init; } = 256;
        public string JackClient { get; init; } = "cspylive";
        public bool Connect { get; init; } = true;

        internal static readonly YamlSchema<AudioSection> Yaml = new YamlSchema<AudioSection>()
            .Key("backend", (c, v) => c with { Backend = v.OptionalString()! })
            .Key("period", (c, v) => c with { Period = v.Int() })
            .Key("jack_client", (c, v) => c with { JackClient = v.String() })
            .Key("connect", (c, v) => c with { Connect = v.Bool() });
    }

    public sealed record PythonSection
    {
        public double BudgetMs { get; init; } = 25;
        /// <summary>The Python interpreter whose libpython to embed (a venv's <c>bin/python</c>); null: VIRTUAL_ENV, then python3 on PATH.</summary>
        public string? Executable { get; init; }

        internal static readonly YamlSchema<PythonSection> Yaml = new YamlSchema<PythonSection>()
            .Key("budget_ms", (c, v) => c with { BudgetMs = v.Double() })
            .Key("executable", (c, v) => c with { Executable = v.OptionalString() });
    }

    public sealed record ReloadSection
    {
        public bool AutoRollback { get; init; } = true;

        internal static readonly YamlSchema<ReloadSection> Yaml = new YamlSchema<ReloadSection>()
            .Key("auto_rollback", (c, v) => c with { AutoRollback = v.Bool() });
    }

    /// <summary>Throws <see cref="ConfigException"/> (without an origin) for the first value that cannot be used.</summary>
    public void Validate()
    {
        if (Audio.Backend is not ("auto" or "null" or "jack" or "portaudio" or "asio"))
            throw new ConfigException("audio.backend", $"'{Audio.Backend}' is not a backend (auto, null, jack, portaudio or asio)");
        ShowOptions.CheckPeriod("audio.period", Audio.Period);
        if (string.IsNullOrWhiteSpace(Audio.JackClient)) throw new ConfigException("audio.jack_client", "must not be empty");
        if (!(Python.BudgetMs > 0) || double.IsInfinity(Python.BudgetMs))
            throw new ConfigException("python.budget_ms", $"must be a positive number of milliseconds, not {Python.BudgetMs}");
    }

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

    /// <summary>Loads the config that applies (defaults if none). Throws <see cref="ConfigException"/> naming the file.</summary>
    public static HostConfig Load(string? path = null)
    {
        path ??= Locate();
        if (path is null) return new HostConfig();
        if (!File.Exists(path)) throw new ConfigException("", "no such config file", path);
        var config = YamlConfigFile.Read(path, Yaml);
        try
        {
            config.Validate();
        }
        catch (ConfigException e)
        {
            throw e.In(path);
        }
        return config;
    }
}
