using CsPyLive.Csound;
using CsPyLive.Python.Opcodes;

namespace CsPyLive.Tests.Python;

[Collection("Python")]
public class MarkovPatchTests
{
    [Fact]
    public void The_markov_patch_renders_through_our_engine_without_errors_and_below_clipping()
    {
        var dir = FindPatchDir("markov");
        using var engine = new Engine();
        engine.BeforeCompile += PythonOpcodes.Register;
        engine.SetOption($"--env:INCDIR+={dir}");
        engine.CompileCsd(Path.Combine(dir, "markov.csd"));
        engine.Start();
        const int seconds = 12;
        var frames = (int)engine.SampleRate * seconds;
        var output = new float[frames * engine.OutputChannels];
        var produced = engine.Process(output, default, frames);
        var log = new List<(MessageKind Kind, string Text)>();
        engine.Messages.Drain((k, t) => log.Add((k, t)), flush: true);
        var text = string.Join("\n", log.Select(l => $"[{l.Kind}] {l.Text}"));

        Assert.Equal(frames, produced);
        Assert.DoesNotContain("Traceback", text);
        Assert.DoesNotContain("INIT ERROR", text);
        Assert.DoesNotContain("Python exception", text);
        var peak = output.Max(Math.Abs);
        var rms = Math.Sqrt(output.Average(s => (double)s * s));
        Assert.True(peak is > 0.05f and < 0.7f, $"peak {peak}\n{text}");
        Assert.True(rms > 0.005, $"rms {rms}");
        // the second half is not silent either: the chains keep going
        var tail = output.AsSpan(output.Length / 2).ToArray();
        Assert.True(tail.Max(Math.Abs) > 0.02f, "silent second half");
    }

    internal static string FindPatchDir(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "patches", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"patches/{name} not found above {AppContext.BaseDirectory}");
    }
}
