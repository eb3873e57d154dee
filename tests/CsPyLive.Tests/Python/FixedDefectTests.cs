using CsPyLive.Csound;

namespace CsPyLive.Tests.Python;

/// <summary>Each test pins one defect of the stock libpy.so opcodes that ours must not have (see FACTS.md).</summary>
[Collection("Python")]
public class FixedDefectTests
{
    [Fact]
    public void Doubles_pass_exactly_both_ways()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            def show(x):
                print("X=" + repr(x))
            def back(x):
                return x
            }}
            pyassigni "a", 1e-9
            pyruni "print('A=' + repr(a))"
            instr 1
              pycalli "show", 1e-9
              pycalli "show", 0.123456789
              i1 pycall1i "back", 0.123456789
              pycalli "show", i1
              i2 pycall1i "back", 1/3
              pycalli "show", i2
              k1 pycall1 "back", 1e-300
              pycall "show", k1
              turnoff
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Equal(["1e-09"], run.Printed("A="));
        Assert.Equal(["1e-09", "0.123456789", "0.123456789", repr(1.0 / 3), "1e-300"], run.Printed("X="));

        static string repr(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Int_bool_and_float_like_results_are_accepted()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            import fractions
            def seven(): return 7
            def yes(): return True
            def half(): return fractions.Fraction(1, 2)
            def pair(): return [1, 2.5]
            }}
            instr 1
              i1 pycall1i "seven"
              i2 pycall1i "yes"
              i3 pycall1i "half"
              i4, i5 pycall2i "pair"
              i6 pyevali "3"
              prints "R=%g %g %g %g %g %g\n", i1, i2, i3, i4, i5, i6
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Contains(run.Lines(MessageKind.Info), l => l.Contains("R=7 1 0.5 1 2.5 3"));
        Assert.DoesNotContain(run.Lines(MessageKind.Error), l => l.Contains("pycall") || l.Contains("pyeval"));
    }

    [Fact]
    public void Calls_without_numeric_arguments_work_at_every_rate()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            n = 0
            def tick():
                global n
                n += 1
                return n
            }}
            instr 1
              i1 pycall1i "tick"
              k1 pycall1 "tick"
              pycall "tick"
              pylcall "tick"
              k2 pycall1t 1, "tick"
            endin
            instr 2
              pyruni "print('N=' + str(n))"
            endin
            """, "i1 0 0.02\ni2 0.1 0.01", ksmps: 441)).Perform();
        // 0.02 s at kr = 100 is 2 k-cycles: 1 call at init + 4 calls per cycle
        Assert.Equal(["9"], run.Printed("N="));
    }

    [Fact]
    public void Pyassignt_and_pyevalt_take_their_trigger()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni "x = -1.0; fired = 0"
            instr 1
              kcount init 0
              kcount += 1
              ktrig = (kcount % 3 == 0 ? 1 : 0)
              pyassignt ktrig, "x", kcount
              kv pyevalt ktrig, "x * 10"
              pylassignt ktrig, "y", kcount
              kl pylevalt ktrig, "y + 0.5"
              printks "V=%d %d %g\n", 0, kcount, kv, kl
            endin
            instr 2
              pyruni "print('X=' + repr(x))"
            endin
            """, "i1 0 0.0025\ni2 0.01 0.001", ksmps: 10)).Perform();
        // 0.0025 s = 11 k-cycles (110 samples at ksmps 10, rounded): last trigger at kcount 9
        Assert.Equal(["9.0"], run.Printed("X="));
        var values = run.Lines(MessageKind.Info).Where(l => l.StartsWith("V=")).ToList();
        Assert.Contains("V=2 0 0", values);
        Assert.Contains("V=3 30 3.5", values);
        Assert.Contains("V=5 30 3.5", values);
        Assert.Contains("V=6 60 6.5", values);
    }

    [Fact]
    public void Pycall_n_with_a_wrong_result_gives_a_clear_error()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni "def one(): return 1.5"
            instr 1
              k1, k2 pycall2 "one"
            endin
            """, "i1 0 0.01")).Perform();
        var errors = string.Join("\n", run.Lines(MessageKind.Error));
        Assert.Contains("pycall2 (instr 1)", errors);
        Assert.Contains("one must return 2 numbers (a tuple or other sequence of 2), not float 1.5", errors);
    }
}
