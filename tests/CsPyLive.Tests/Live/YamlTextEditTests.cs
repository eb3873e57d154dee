using CsPyLive.Config;
using CsPyLive.Live;

namespace CsPyLive.Tests.Live;

/// <summary>MIDI learn writes patch.yaml by editing its text: every comment, blank line and style stays as it was.</summary>
public sealed class YamlTextEditTests
{
    private static string Set(string yaml) => YamlTextEdit.SetEntry(yaml, "midi", "cc", "74", "cutoff", "learned", "patch.yaml");

    [Theory]
    [InlineData("", "midi:\n  cc:\n    74: cutoff  # learned\n")]
    [InlineData("# my patch\npanic:\n  keep: [99]   # the echo\n", "# my patch\npanic:\n  keep: [99]   # the echo\nmidi:\n  cc:\n    74: cutoff  # learned\n")]
    [InlineData("midi:\n  route: score   # notes\n", "midi:\n  cc:\n    74: cutoff  # learned\n  route: score   # notes\n")]
    [InlineData("midi:\n  # controllers\n  cc:\n    1: vib     # mod wheel\n", "midi:\n  # controllers\n  cc:\n    74: cutoff  # learned\n    1: vib     # mod wheel\n")]
    [InlineData("midi:\n  cc: { 1: vib }   # wheel\n", "midi:\n  cc: { 74: cutoff, 1: vib }   # wheel\n")]
    [InlineData("midi:\n  cc: {}\n", "midi:\n  cc: { 74: cutoff }\n")]
    [InlineData("midi:\n  cc:\n    74: old   # was\n", "midi:\n  cc:\n    74: cutoff   # was\n")]
    [InlineData("midi: { route: score }\n", "midi: { cc: { 74: cutoff }, route: score }\n")]
    [InlineData("midi:   # all MIDI\nosc:\n  port: 9000\n", "midi:\n  cc:\n    74: cutoff  # learned   # all MIDI\nosc:\n  port: 9000\n")]
    public void An_entry_is_set_and_everything_else_is_kept(string before, string after)
    {
        var edited = Set(before);
        Assert.Equal(after, edited);
        Assert.Equal("cutoff", PatchConfig.Parse(edited).Midi.Cc[74]); // and it reads back
    }

    [Fact]
    public void The_shipped_patches_take_a_learned_controller_and_keep_every_line()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Support.TestData.RepoRoot, "patches"), "patch.yaml", SearchOption.AllDirectories))
        {
            var before = File.ReadAllText(file);
            var edited = Set(before);
            Assert.Equal("cutoff", PatchConfig.Parse(edited, file).Midi.Cc[74]);
            var kept = edited.Split('\n').ToList();
            foreach (var line in before.Split('\n')) Assert.True(kept.Remove(line) || line.Contains("cc"), $"{file}: lost '{line}'");
        }
    }

    [Fact]
    public void A_file_that_is_not_yaml_is_refused_and_not_touched()
    {
        var e = Assert.Throws<ConfigException>(() => Set("midi: [1, 2\n"));
        Assert.Contains("patch.yaml: line", e.Message);
    }
}
