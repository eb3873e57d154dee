using CsPyLive.Csound;

namespace CsPyLive.Tests.Python;

[Collection("Python")]
public class ErrorReportingTests
{
    [Fact]
    public void A_perf_time_exception_is_logged_once_with_traceback_and_repeat_count_and_the_note_goes_on()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            def boom(x):
                if x > 2:
                    raise ValueError("too big: more than two")
                return x * 10
            }}
            instr 1
              kn init 0
              kn += 1
              kv pycall1 "boom", kn
              printks "V=%d %d\n", 0, kn, kv
            endin
            """, "i1 0 0.1", ksmps: 441)).Perform();   // 10 k-cycles: 2 good, 8 raising
        var errors = string.Join("\n", run.Lines(MessageKind.Error));
        Assert.Single(run.Lines(MessageKind.Error), l => l.Contains("ValueError: too big: more than two"));
        Assert.Contains("Traceback (most recent call last):", errors);
        Assert.Contains("in boom", errors);
        Assert.Contains("pycall1 (instr 1): the error above (repeated 7 times)", errors);
        var values = run.Lines(MessageKind.Info).Where(l => l.StartsWith("V=")).ToList();
        Assert.Contains("V=10 20", values); // the note kept running, with its last good output
        Assert.DoesNotContain(run.Lines(MessageKind.Python), l => l.Contains("Traceback")); // not via stderr
    }

    [Fact]
    public void An_error_whose_message_changes_at_every_call_shows_at_most_5_tracebacks_a_second()
    {
        // Each call raises ValueError("call number N"): a new error every k-cycle. It used to print 4,500 tracebacks in 3 s.
        var result = Support.ProcessRunner.CsPyLive("play", Support.TestData.Path("py", "changing-error.csd"), "--audio", "null",
            "--duration", "3", "--no-tui");
        Assert.True(result.ExitCode == 0, result.Output);
        var shown = result.StdErr.Split("Traceback (most recent call last)").Length - 1;
        Assert.InRange(shown, 5, 5 * 4); // 3 s, and a started second at each end
        Assert.Matches(@"python: \d+ more Python exception\(s\) not shown \(at most 5 tracebacks a second\)", result.StdErr);
    }

    [Fact]
    public void An_init_time_exception_stops_the_note_and_says_why()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni "def bad(): return 1 / 0"
            instr 1
              i1 pycall1i "bad"
              prints "NOT REACHED\n"
            endin
            instr 2
              prints "SECOND NOTE RUNS\n"
            endin
            """, "i1 0 0.01\ni2 0.02 0.01")).Perform();
        var errors = string.Join("\n", run.Lines(MessageKind.Error));
        Assert.Contains("INIT ERROR in instr 1", errors);
        Assert.Contains("ZeroDivisionError: division by zero", errors);
        Assert.Contains("in bad", errors);
        Assert.DoesNotContain(run.Log, l => l.Text.Contains("NOT REACHED"));
        Assert.Contains(run.Log, l => l.Text.Contains("SECOND NOTE RUNS"));
    }

    [Fact]
    public void A_name_that_is_not_defined_is_a_NameError()
    {
        using var run = new PyRun(PyRun.Csd("""
            instr 1
              k1 pycall1 "nowhere", 1
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Contains(run.Lines(MessageKind.Error), l => l.Contains("NameError: name 'nowhere' is not defined"));
    }

    [Fact]
    public void Without_pyinit_the_log_says_to_add_it()
    {
        using var run = new PyRun(PyRun.Csd("""
            instr 1
              pyruni "x = 1"
            endin
            """, "i1 0 0.01", pyinit: false)).Perform();
        Assert.Contains(run.Lines(MessageKind.Error),
            l => l.Contains("pyruni: Python is not initialised: put 'pyinit' in the orchestra header"));
    }

    [Fact]
    public void Print_reaches_the_log_in_order_with_csound_messages()
    {
        using var run = new PyRun(PyRun.Csd("""
            instr 1
              pyruni "print('first from python')"
              prints "second from csound\n"
              pyruni "import sys; print('third from python', file=sys.stderr)"
              prints "fourth from csound\n"
            endin
            """, "i1 0 0.01")).Perform();
        var order = run.Log.Where(l => l.Text.Contains(" from ")).Select(l => (l.Kind, l.Text.Trim())).ToList();
        Assert.Equal(
            [(MessageKind.Python, "first from python"), (MessageKind.Info, "second from csound"),
             (MessageKind.Python, "third from python"), (MessageKind.Info, "fourth from csound")],
            order);
    }
}
