using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary><c>cspylive new</c>: a patch folder that plays at once, its Python module in the loop.</summary>
public sealed class NewPatchTests
{
    [Theory]
    [InlineData("keys", "def brightness(note, velocity):", "return min(1.0, 0.15 + 0.7 * velocity + (note - 60) / 96.0)", "return 0.0")]
    [InlineData("tablet", "def pulse(t):", "return 0.55 + 0.45 * math.sin(2 * math.pi * speed * t)", "return 0.1")]
    [InlineData("generative", "def next_note(t):", "ROOT = 57", "ROOT = 33")]
    public void Each_template_plays_at_once_and_its_python_module_shapes_the_sound(string template, string defines, string line, string changed)
    {
        using var dir = new TempDir();
        var patch = dir.File($"my_{template}");
        var made = ProcessRunner.CsPyLive("new", patch, "--template", template);
        Assert.True(made.ExitCode == 0, made.Output);
        Assert.Equal([$"my_{template}.csd", $"my_{template}.py", "patch.yaml"], Directory.GetFiles(patch).Select(Path.GetFileName).Order());
        Assert.Contains($"pyexeci \"my_{template}.py\"", File.ReadAllText(Path.Combine(patch, $"my_{template}.csd")));
        Assert.Contains(defines, File.ReadAllText(Path.Combine(patch, $"my_{template}.py")));

        var first = ProcessRunner.CsPyLive("render", patch, "-o", dir.File("a.wav"), "-d", "3");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.DoesNotContain("error", first.StdErr, StringComparison.OrdinalIgnoreCase);
        var a = WavFile.Read(dir.File("a.wav"));
        Assert.True(a.Peak > 0.05, $"{template} is silent (peak {a.Peak})");

        var py = Path.Combine(patch, $"my_{template}.py");
        Assert.Contains(line, File.ReadAllText(py));
        File.WriteAllText(py, File.ReadAllText(py).Replace(line, changed));
        var second = ProcessRunner.CsPyLive("render", patch, "-o", dir.File("b.wav"), "-d", "3");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.NotEqual(a.Samples, WavFile.Read(dir.File("b.wav")).Samples); // the module is in the loop
    }

    [Theory]
    [InlineData("9lives", "cannot name a patch")]
    [InlineData("my-patch", "Python cannot import a module with '-' in its name")]
    public void A_name_that_cannot_be_a_module_is_refused(string name, string message)
    {
        using var dir = new TempDir();
        var r = ProcessRunner.CsPyLive("new", dir.File(name));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.False(Directory.Exists(dir.File(name)));
    }

    [Fact]
    public void A_folder_with_files_is_never_overwritten()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("mine"));
        File.WriteAllText(dir.File("mine/mine.csd"), "my work");
        var r = ProcessRunner.CsPyLive("new", dir.File("mine"), "-t", "tablet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("exists and is not empty; nothing was written", r.StdErr);
        Assert.Equal("my work", File.ReadAllText(dir.File("mine/mine.csd")));
    }
}
