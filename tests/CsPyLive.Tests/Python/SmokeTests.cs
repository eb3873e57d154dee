using CsPyLive.Csound;

namespace CsPyLive.Tests.Python;

[Collection("Python")]
public class SmokeTests
{
    [Fact]
    public void Pycall1_returns_the_python_result()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            def f(x):
                return x * 2
            }}
            instr 1
              k1 pycall1 "f", 21
              printks "R=%.17g\n", 0, k1
              turnoff
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Contains(run.Lines(MessageKind.Info), l => l.Contains("R=42"));
    }
}
