using CsPyLive.Config;
using CsPyLive.Live;
using CsPyLive.Midi;

namespace CsPyLive.Tests.Midi;

public sealed class PatchConfigTests
{
    [Fact]
    public void Reads_the_midi_section()
    {
        var config = PatchConfig.Parse("""
            midi:
              route: score
              cc: { 74: cutoff }
              channels:
                1: { instrument: 10, pfields: [0.5, 2], velocity: { curve: 2, min: 0, max: 1 }, cc: { 1: vibrato } }
                10: { instrument: 20 }
            """);
        Assert.Equal(MidiRoute.Score, config.Midi.Route);
        Assert.Equal("cutoff", config.Midi.Cc[74]);
        var ch1 = config.Midi.Channels[1];
        Assert.Equal(10, ch1.Instrument);
        Assert.Equal([0.5, 2], ch1.Pfields);
        Assert.Equal(0.25, ch1.Velocity!.Apply(127) * 0.25, 9);
        Assert.Equal("vibrato", ch1.Cc[1]);
        Assert.Equal(20, config.Midi.Channels[10].Instrument);
        Assert.Equal(MidiRoute.Csound, PatchConfig.Parse("midi: { route: csound }").Midi.Route);
    }

    [Fact]
    public void No_file_and_an_empty_file_mean_defaults()
    {
        using var dir = new Support.TempDir();
        Assert.Empty(PatchConfig.Load(dir.Path).Midi.Channels);
        Assert.Equal(MidiRoute.Score, PatchConfig.Parse("").Midi.Route);
    }

    [Theory]
    [InlineData("midi:\n  chanels: {}", "line 2")]
    [InlineData("midi:\n  route: alsa", "line 2")]
    [InlineData("midi:\n  channels:\n    17: { instrument: 2 }", "17 is not a MIDI channel")]
    [InlineData("midi:\n  channels:\n    1: { instrument: 1.5 }", "midi.channels.1.instrument")]
    [InlineData("midi:\n  cc: { 128: x }", "128 is not a controller number")]
    public void Mistakes_are_errors_that_say_where(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => PatchConfig.Parse(yaml, "patch.yaml"));
        Assert.StartsWith("patch.yaml: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
