using CsPyLive.Csound;

namespace CsPyLive.Tests.Python;

[Collection("Python")]
public class ScopeTests
{
    [Fact]
    public void Local_opcodes_get_a_fresh_dict_per_note_and_share_it_within_the_note()
    {
        using var run = new PyRun(PyRun.Csd("""
            instr 1
              pylruni {{
            try:
                print("SEEN=" + repr(mine))
            except NameError:
                print("SEEN=none")
            mine = p4
            }}
              pylassigni "other", p4 * 2
              pylruni "print('SUM=' + repr(mine + other))"
            endin
            """.Replace("mine = p4", "mine = 1.0"), "i1 0 0.01 5\ni1 0.1 0.01 7")).Perform();
        Assert.Equal(["none", "none"], run.Printed("SEEN=")); // the second note does not inherit the first's names
        Assert.Equal(["11.0", "15.0"], run.Printed("SUM="));
    }

    [Fact]
    public void Rebinding_a_function_name_changes_the_next_call()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni "def f(): return 1"
            instr 1
              k1 pycall1 "f"
              printks "F=%d\n", 0, k1
              pyrunt (timeinstk() == 2 ? 1 : 0), "f = lambda: 2"
            endin
            """, "i1 0 0.04", ksmps: 441)).Perform();
        var values = run.Lines(MessageKind.Info).Where(l => l.StartsWith("F=")).ToList();
        Assert.Equal(["F=1", "F=1", "F=2", "F=2"], values);
    }

    [Fact]
    public void Dotted_names_multiple_results_and_pycalln_work()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            import math
            def three(a, b): return a + b, a - b, a * b
            def n2(a, b): return (a * 10, b * 10)
            }}
            instr 1
              i1 pycall1i "math.sqrt", 16
              i2, i3, i4 pycall3i "three", 5, 3
              ir1 init 0
              ir2 init 0
              pycallni "n2", 2, ir1, ir2, 4, 7
              prints "R=%g %g %g %g %g %g\n", i1, i2, i3, i4, ir1, ir2
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Contains(run.Lines(MessageKind.Info), l => l.StartsWith("R=4 8 2 15 40 70"));
    }
}
