using CsPyLive.Csound;
using CsPyLive.Python;

namespace CsPyLive.Tests.Python;

[Collection("Python")]
public class ThreadingAndResourceTests
{
    private const string CallLoop = """
        pyruni {{
        calls = 0
        def f(x):
            global calls
            calls += 1
            return x + 0.5
        }}
        instr 1
          kx init 0
          kx += 1
          ky pycall1 "f", kx
          kz pycall1 "f", ky
        endin
        """;

    [Fact]
    public void Another_host_thread_may_run_python_while_the_engine_performs_pycalls()
    {
        using var run = new PyRun(PyRun.Csd(CallLoop, "i1 0 2", ksmps: 10)); // 8820 k-cycles, 17640 calls
        PythonRuntime.Run("side = 0");
        using var stop = new CancellationTokenSource();
        var sideRuns = 0;
        var side = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                PythonRuntime.Run("side += 1\nimport math\n_ = [math.sin(i) for i in range(50)]");
                sideRuns++;
            }
        });
        side.Start();
        var kcycles = 0;
        while (run.Engine.PerformKCycle()) kcycles++;
        stop.Cancel();
        side.Join();
        run.Drain();
        Assert.Equal(8820, kcycles);
        Assert.Equal("17640", PythonRuntime.Eval("calls"));
        Assert.True(sideRuns > 10, $"the side thread ran only {sideRuns} times");
        Assert.Equal(sideRuns.ToString(), PythonRuntime.Eval("side"));
        Assert.DoesNotContain(run.Lines(MessageKind.Error), l => l.Contains("Traceback"));
    }

    [Fact]
    public void A_million_calls_leak_neither_objects_nor_memory()
    {
        using var run = new PyRun(PyRun.Csd(CallLoop, "i1 0 100", ksmps: 1));
        for (var i = 0; i < 20_000; i++) run.Engine.PerformKCycle(); // warm up
        var objectsBefore = long.Parse(PythonRuntime.Eval("__import__('gc').collect() * 0 + len(__import__('gc').get_objects())"));
        var refsBefore = PythonRuntime.Eval("__import__('sys').getrefcount(f)");
        var rssBefore = RssKb();
        for (var i = 0; i < 500_000; i++) run.Engine.PerformKCycle(); // 1M pycall1
        var rssAfter = RssKb();
        var objectsAfter = long.Parse(PythonRuntime.Eval("__import__('gc').collect() * 0 + len(__import__('gc').get_objects())"));
        Assert.Equal(refsBefore, PythonRuntime.Eval("__import__('sys').getrefcount(f)"));
        Assert.InRange(objectsAfter - objectsBefore, -100, 100);
        // the stock pycall1 leaked ~31 MB per 1M calls
        Assert.True(rssAfter - rssBefore < 4_000, $"RSS grew {rssAfter - rssBefore} kB over 1M calls");
    }

    [Fact]
    public void The_kcycle_path_of_pycall_opcodes_allocates_nothing_managed()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            def f(x): return x * 2
            def g(a, b): return a, b, a + b
            def boom(x): raise RuntimeError("always")
            v = 0.0
            }}
            instr 1
              kx init 0
              kx += 1
              k1 pycall1 "f", kx
              k2, k3, k4 pycall3 "g", kx, k1
              pycall "f", kx
              k8 pylcall1 "f", kx
              pyassign "v", kx
              k5 pyeval "v + 1"
              pyrun "v += 1"
              k6 pycall1t kx % 2, "f", kx
              k7 pycall1 "boom", kx
            endin
            """, "i1 0 100", ksmps: 1));
        for (var i = 0; i < 5_000; i++) run.Engine.PerformKCycle(); // warm up: JIT, first error report
        run.Drain();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20_000; i++) run.Engine.PerformKCycle();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Ours_run_even_though_the_stock_libpy_is_installed()
    {
        Assert.True(File.Exists("/usr/lib/x86_64-linux-gnu/csound/plugins64-6.0/libpy.so"), "csound-plugins' libpy.so is not installed here");
        using var run = new PyRun(PyRun.Csd("""
            pyruni "def show(x): print('X=' + repr(x))"
            instr 1
              pycalli "show", 1e-9
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Equal(["1e-09"], run.Printed("X=")); // the stock opcode would pass 0.000000
        Assert.DoesNotContain("/libpy.so", File.ReadAllText("/proc/self/maps"));
    }

    private static long RssKb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"))[6..].Trim().Split(' ')[0]);
}
