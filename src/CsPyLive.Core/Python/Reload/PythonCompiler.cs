using System.Diagnostics;
using System.Text.Json;

namespace CsPyLive.Python.Reload;

/// <summary>
/// Compiles Python files in a companion <c>python3.X</c> process (X = the minor version of the libpython we run, so
/// the marshal format matches) and returns marshalled code objects. Compiling a large module takes milliseconds of
/// parsing; doing it in another process means our interpreter's GIL, which the audio thread needs every k-cycle,
/// is never held for it. Thread-safe; requests are answered in order. Restarts the process if it dies.
/// </summary>
public sealed class PythonCompiler : IDisposable
{
    private readonly string executable;
    private readonly SemaphoreSlim gate = new(1, 1);
    private Process? process;
    private long nextId;

    /// <param name="pythonExecutable">e.g. <c>/usr/bin/python3.11</c>; see <see cref="FindExecutable"/>.</param>
    public PythonCompiler(string pythonExecutable) => executable = pythonExecutable;

    /// <summary>
    /// The python executable whose version is <paramref name="major"/>.<paramref name="minor"/>, preferring the
    /// system one next to the system libpython. Null if none is found.
    /// </summary>
    public static string? FindExecutable(int major, int minor)
    {
        var name = $"python{major}.{minor}";
        foreach (var dir in new[] { "/usr/bin", "/usr/local/bin" }.Concat(
                     (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    /// <summary>
    /// Starts the companion process now and has it compile a one-line file, so the first save of a show does not
    /// pay for a Python starting up and every part of the path running for the first time (~150 ms together).
    /// Never throws: a failure here is met again, and reported, by the first real <see cref="CompileAsync"/>.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancel = default)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cspylive-warm-up-{Environment.ProcessId}.py");
        try
        {
            await File.WriteAllTextAsync(file, "def _cspylive_warm_up(x):\n    return x\n", cancel).ConfigureAwait(false);
            await CompileAsync(file, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or JsonException)
        {
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>One request line, <c>{"id":N,"path":"..."}</c>: written by hand, as JSON needs no serializer for two fields (NativeAOT).</summary>
    internal static string Request(long id, string path) => $"{{\"id\":{id},\"path\":\"{JsonEncodedText.Encode(path)}\"}}";

    /// <summary>Compiles <paramref name="path"/>; never throws for a bad file (the result says what is wrong).</summary>
    public async Task<CompileResult> CompileAsync(string path, CancellationToken cancel = default)
    {
        await gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var p = EnsureStarted();
                var id = ++nextId;
                try
                {
                    await p.StandardInput.WriteLineAsync(Request(id, path).AsMemory(), cancel).ConfigureAwait(false);
                    await p.StandardInput.FlushAsync(cancel).ConfigureAwait(false);
                    var line = await p.StandardOutput.ReadLineAsync(cancel).ConfigureAwait(false)
                               ?? throw new IOException("the companion compiler exited");
                    return Parse(path, line);
                }
                catch (IOException) when (attempt == 0)
                {
                    Kill();
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static CompileResult Parse(string path, string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        if (r.GetProperty("ok").GetBoolean())
            return new CompileResult(path, Convert.FromBase64String(r.GetProperty("code").GetString()!), null, 0, 0, null);
        return new CompileResult(path, null, r.GetProperty("error").GetString(), r.GetProperty("line").GetInt32(),
            r.GetProperty("offset").GetInt32(), r.GetProperty("text").GetString());
    }

    private Process EnsureStarted()
    {
        if (process is { HasExited: false }) return process;
        var script = Path.Combine(Path.GetTempPath(), $"cspylive-compile-server-{Environment.ProcessId}.py");
        using (var resource = typeof(PythonCompiler).Assembly.GetManifestResourceStream("CsPyLive.Python.Reload.compile_server.py")!)
        using (var file = File.Create(script))
            resource.CopyTo(file);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-I"); // isolated: no user site, no PYTHON* variables, no cwd on sys.path
        info.ArgumentList.Add(script);
        process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        return process;
    }

    private void Kill()
    {
        try { process?.Kill(); } catch (InvalidOperationException) { }
        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        if (process is { HasExited: false })
        {
            try { process.StandardInput.Close(); process.WaitForExit(1000); } catch (IOException) { }
        }
        Kill();
        gate.Dispose();
    }
}
