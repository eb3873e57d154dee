using System.Reflection;
using System.Text.RegularExpressions;
using CsPyLive.Config;
using CsPyLive.Live;
using CsPyLive.Midi;
using CsPyLive.Osc;

namespace CsPyLive.Tests.Live;

/// <summary>
/// The settings files are read by hand-written schemas (no reflection, for NativeAOT): a property added to a record
/// without its key would be silently impossible to set. Each schema must list exactly its record's settable properties.
/// </summary>
public sealed class ConfigSchemaTests
{
    public static TheoryData<Type, IReadOnlyList<string>> Schemas => new()
    {
        { typeof(HostConfig), HostConfig.Yaml.Keys },
        { typeof(HostConfig.AudioSection), Section<HostConfig.AudioSection>() },
        { typeof(HostConfig.PythonSection), Section<HostConfig.PythonSection>() },
        { typeof(HostConfig.ReloadSection), Section<HostConfig.ReloadSection>() },
        { typeof(PatchConfig), PatchConfig.Yaml.Keys },
        { typeof(PanicConfig), PanicConfig.Yaml.Keys },
        { typeof(MidiConfig), MidiConfig.Yaml.Keys },
        { typeof(MidiChannelConfig), MidiChannelConfig.Yaml.Keys },
        { typeof(VelocityCurve), VelocityCurve.Yaml.Keys },
        { typeof(OscConfig), OscConfig.Yaml.Keys },
        { typeof(OscRouteConfig), OscRouteConfig.Yaml.Keys },
        { typeof(OscTriggerConfig), OscTriggerConfig.Yaml.Keys },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Every_setting_of_a_record_has_its_key(Type record, IReadOnlyList<string> keys)
    {
        var properties = record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => Regex.Replace(p.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant());
        Assert.Equal(properties.Order(), keys.Order());
    }

    [Fact]
    public void A_file_that_sets_every_key_reads_back_what_it_says()
    {
        var config = PatchConfig.Parse("""
            midi:
              route: csound
              cc: { 74: cutoff }
              channels:
                2: { instrument: 7, pfields: [0.5, 1], velocity: { curve: 2, min: 0.1, max: 0.9 }, cc: { 1: vib } }
            osc:
              port: 9100
              tcp_port: 9101
              bind: 127.0.0.1
              allow: [127.0.0.1]
              feedback_port: 9102
              allow_python_code: true
              builtin_routes: false
              panic_keep: [3]
              routes:
                - { address: /a, trigger: { value: v, trigger: t }, scale: [0, 1, 2, 3], curve: lin, skip_zero: true, feedback: true }
            panic:
              keep: [99]
            """);
        var ch = config.Midi.Channels[2];
        Assert.Equal((MidiRoute.Csound, "cutoff", 7.0, 2.0, 0.1, 0.9, "vib"),
            (config.Midi.Route, config.Midi.Cc[74], ch.Instrument, ch.Velocity!.Curve, ch.Velocity.Min, ch.Velocity.Max, ch.Cc[1]));
        Assert.Equal([0.5, 1], ch.Pfields);
        var osc = config.Osc!;
        Assert.Equal((9100, 9101, "127.0.0.1", "127.0.0.1", 9102, true, false), (osc.Port, osc.TcpPort, osc.Bind, osc.Allow.Single(), osc.FeedbackPort, osc.AllowPythonCode, osc.BuiltinRoutes));
        var route = osc.Routes.Single();
        Assert.Equal(("/a", "v", "t", 3.0, "lin", true, true), (route.Address, route.Trigger!.Value, route.Trigger.Trigger, route.Scale![3], route.Curve, route.SkipZero, route.Feedback));
        Assert.Equal([3.0, 99.0], config.PanicKeep.Order());

        var host = YamlConfigFile.Parse("audio: { backend: jack, period: 128, jack_client: x, connect: false }\npython: { budget_ms: 5, executable: /p }\nreload: { auto_rollback: false }\n", "c.yaml", HostConfig.Yaml);
        Assert.Equal(("jack", 128, "x", false, 5.0, "/p", false),
            (host.Audio.Backend, host.Audio.Period, host.Audio.JackClient, host.Audio.Connect, host.Python.BudgetMs, host.Python.Executable, host.Reload.AutoRollback));
    }

    [Theory]
    [InlineData("audio:\n  period: 1.5\n", "line 2, column 11: audio.period: '1.5' is not a whole number")]
    [InlineData("audio:\n  connect: maybe\n", "line 2, column 12: audio.connect: 'maybe' is not true or false")]
    [InlineData("audio: [1]\n", "line 1, column 8: audio: expected a mapping")]
    [InlineData("python:\n  budget_ms: [1]\n", "line 2, column 14: python.budget_ms: expected a number, not a list")]
    [InlineData("audio:\n  perod: 1\n", "line 2, column 3: unknown key 'perod' in audio (allowed here: backend, period, jack_client, connect)")]
    public void A_value_of_the_wrong_kind_is_named_with_its_key_line_and_column(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => YamlConfigFile.Parse(yaml, "c.yaml", HostConfig.Yaml));
        Assert.StartsWith("c.yaml: " + expected, e.Message);
    }

    private static IReadOnlyList<string> Section<T>() where T : class, new() =>
        ((YamlSchema<T>)typeof(T).GetField("Yaml", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!).Keys;
}
