using CsPyLive.Csound;
using CsPyLive.Python.Opcodes;

using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Python;

/// <summary>Python tests share one interpreter (its __main__): they run one at a time.</summary>
[CollectionDefinition("Python", DisableParallelization = true)]
public sealed class PythonCollection;

/// <summary>Runs a CSD through our Engine with our Python opcodes and collects the log.</summary>
internal sealed class PyRun : IDisposable
{
    public Engine Engine { get; } = new();
    public List<(MessageKind Kind, string Text)> Log { get; } = [];

    public PyRun(string csd, bool start = true)
    {
        Engine.BeforeCompile += PythonOpcodes.Register;
        Engine.SetOption("-n");
        try
        {
            Engine.CompileCsdText(csd);
            if (start) Engine.Start();
        }
        catch (CsoundException e)
        {
            Drain();
            throw new CsoundException(e.Message + "\n" + AllText);
        }
    }

    /// <summary>Performs k-cycles until the score ends (or the limit), then drains the log.</summary>
    public PyRun Perform(int maxCycles = 10_000_000)
    {
        for (var i = 0; i < maxCycles && Engine.PerformKCycle(); i++)
            if ((i & 1023) == 0) Drain();
        Drain();
        return this;
    }

    public void Drain() => Engine.Messages.Drain((k, t) => Log.Add((k, t)), flush: true);

    public IEnumerable<string> Lines(MessageKind kind) => Log.Where(l => l.Kind == kind).Select(l => l.Text);

    public string AllText => string.Join("\n", Log.Select(l => $"[{l.Kind}] {l.Text}"));

    /// <summary>Lines printed by Python that start with a prefix, without it.</summary>
    public List<string> Printed(string prefix) =>
        Lines(MessageKind.Python).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList();

    public void Dispose() => Engine.Dispose();

    /// <summary>A CSD with the given orchestra body (after the header and pyinit) and score.</summary>
    public static string Csd(string orchestra, string score, int ksmps = 10, bool pyinit = true) =>
        TestEngines.Csd((pyinit ? "pyinit\n" : "") + orchestra, score,
            header: $"sr = 44100\nksmps = {ksmps}\nnchnls = 1\n0dbfs = 1", options: "-n -d -m0");
}
