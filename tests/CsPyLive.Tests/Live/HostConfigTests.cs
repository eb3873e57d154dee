using CsPyLive.Config;
using System.Text.Json;
using CsPyLive.Live;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

public sealed class HostConfigTests
{
    [Fact]
    public void The_shipped_config_loads_with_the_documented_defaults()
    {
        var config = HostConfig.Load(Path.Combine(TestData.RepoRoot, "config", "cspylive.yaml"));
        Assert.Equal(new HostConfig(), config with { });
        Assert.Equal(("auto", 256, 25.0, true), (config.Audio.Backend, config.Audio.Period, config.Python.BudgetMs, config.Reload.AutoRollback));
    }

    [Theory]
    [InlineData("audio:\n  perid: 128\n", "perid")]                  // a misspelt key
    [InlineData("audio:\n  backend: alsa\n", "audio.backend")]
    [InlineData("python:\n  budget_ms: 0\n", "python.budget_ms")]
    [InlineData("audio: [1, 2\n", "line 2, column 1: While parsing a flow sequence, did not find expected ',' or ']'. (a '[' not closed on an earlier line?)")] // not YAML: where the parser stopped, and what to look for
    public void A_bad_config_is_refused_with_what_is_wrong(string yaml, string expected)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ConfigException>(() => HostConfig.Load(dir.Write("c.yaml", yaml)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Play_takes_its_defaults_from_the_config_and_a_bad_one_stops_it_clearly()
    {
        using var dir = new TempDir();
        var hello = Path.Combine(TestData.RepoRoot, "patches", "hello");
        var env = new Dictionary<string, string> { ["CSPYLIVE_CONFIG"] = dir.Write("c.yaml", "audio:\n  backend: null\n  period: 128\n") };
        var ok = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "play", hello, "--duration", "0.3", "--stats", dir.File("s.json")], environment: env);
        Assert.True(ok.ExitCode == 0, ok.Output);
        using (var stats = JsonDocument.Parse(File.ReadAllText(dir.File("s.json"))))
        {
            Assert.Equal(128, stats.RootElement.GetProperty("period").GetInt32());
            Assert.Equal("null", stats.RootElement.GetProperty("backend").GetString());
        }

        env["CSPYLIVE_CONFIG"] = dir.Write("bad.yaml", "audio:\n  period: 3\n");
        var bad = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "play", hello, "--duration", "0.3"], environment: env);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("audio.period", bad.StdErr);
    }
}
