using System.Diagnostics;
using CsPyLive.Csound;
using CsPyLive.Python;

namespace CsPyLive.Tests.Python;

[Collection("Python")]
public class RuntimeApiTests
{
    [Fact]
    public void Numpy_imports_and_its_scalars_are_numbers_to_pycall()
    {
        using var run = new PyRun(PyRun.Csd("""
            pyruni {{
            import numpy as np
            def mean3(a, b, c): return np.mean([a, b, c])
            }}
            instr 1
              i1 pycall1i "mean3", 1, 2, 6
              prints "R=%g\n", i1
            endin
            """, "i1 0 0.01")).Perform();
        Assert.Contains(run.Lines(MessageKind.Info), l => l.StartsWith("R=3"));
    }

    [Fact]
    public void Code_compiled_in_another_process_runs_in_main_from_any_thread()
    {
        var info = new ProcessStartInfo("/usr/bin/python3",
            ["-c", "import marshal,sys; sys.stdout.buffer.write(marshal.dumps(compile('reloaded = 41 + 1', '<reload>', 'exec')))"])
            { RedirectStandardOutput = true };
        using var p = Process.Start(info)!;
        using var bytes = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(bytes);
        p.WaitForExit();
        var thread = new Thread(() => PythonRuntime.ExecMarshalled(bytes.ToArray()));
        thread.Start();
        thread.Join();
        Assert.Equal("42", PythonRuntime.Eval("reloaded"));
        var e = Assert.Throws<PythonException>(() => PythonRuntime.Run("raise KeyError('gone')"));
        Assert.Contains("KeyError: 'gone'", e.Message);
    }
}
