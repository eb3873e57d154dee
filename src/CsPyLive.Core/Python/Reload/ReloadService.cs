using CsPyLive.Csound;
using CsPyLive.Realtime;

namespace CsPyLive.Python.Reload;

/// <summary>
/// Hot reload for a live run, put together: watches the patch's Python files, compiles each save in the companion
/// process (a background task) and hands each result straight to the <see cref="HotReloader"/>; the control
/// thread's <see cref="Tick"/> reports what was swapped. Also serves scripted reloads for deterministic renders (<see cref="ScheduleAt"/>).
/// </summary>
public sealed class ReloadService : IDisposable
{
    private readonly PythonCompiler compiler;
    private readonly SourceWatcher watcher = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly Engine engine;

    /// <summary>See <see cref="HotReloader"/> for <paramref name="gap"/> and <paramref name="autoRollback"/>. Control thread.</summary>
    public ReloadService(Engine engine, ICallbackGap? gap, bool autoRollback, Action<MessageKind, string> log)
    {
        this.engine = engine;
        PythonRuntime.EnsureInitialized();
        var (major, minor) = PythonRuntime.VersionNumbers;
        // The interpreter the embedded library belongs to (a venv's own), so code compiles as it will run.
        var python = PythonRuntime.Interpreter ?? PythonCompiler.FindExecutable(major, minor)
            ?? throw new FileNotFoundException($"python{major}.{minor} is needed to compile reloaded code (apt-get install python{major}.{minor})");
        compiler = new PythonCompiler(python);
        Reloader = new HotReloader(engine, gap, autoRollback, log);
        loop = Task.Run(async () =>
        {
            await compiler.WarmUpAsync(stop.Token).ConfigureAwait(false); // the first save is then as quick as the rest
            await CompileSavesAsync().ConfigureAwait(false);
        });
    }

    public HotReloader Reloader { get; }

    /// <summary>
    /// The frame a save goes live at, asked when its compiled code is handed over (e.g. the next bar of the beat
    /// clock: <c>play --reload-at</c>); null: at once, in the audio thread's idle gap. Set before saves come.
    /// </summary>
    public Func<long>? LiveAt { get; set; }

    public IReadOnlyCollection<string> WatchedFiles => watcher.Files;

    /// <summary>Watches a Python file; saves to it are compiled and swapped in. Control thread.</summary>
    public void Watch(string path)
    {
        watcher.Watch(path);
        Reloader.KnowDefinitions(path);
    }

    /// <summary>Compiles <paramref name="path"/> now and swaps it in at the k-cycle holding <paramref name="frame"/>.</summary>
    public void ScheduleAt(long frame, string path)
    {
        var result = compiler.CompileAsync(Path.GetFullPath(path)).GetAwaiter().GetResult();
        Reloader.Submit(result, System.Diagnostics.Stopwatch.GetTimestamp(), frame);
    }

    /// <summary>
    /// Control thread, every few milliseconds: watch files pyexec ran, report what was swapped. A submission in
    /// progress is waited for up to <paramref name="wait"/> (none by default: the next tick reports it).
    /// </summary>
    public void Tick(TimeSpan wait = default)
    {
        foreach (var path in PythonSources.TakeNew(engine)) Watch(path);
        Reloader.Poll(wait);
    }

    private async Task CompileSavesAsync()
    {
        try
        {
            await foreach (var saved in watcher.Saves.ReadAllAsync(stop.Token))
                Reloader.Submit(await compiler.CompileAsync(saved.Path, stop.Token), saved.SeenAt, LiveAt?.Invoke() ?? 0); // no wait for a tick
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        watcher.Dispose();
        try { loop.Wait(1000); } catch (AggregateException) { }
        compiler.Dispose();
        Reloader.Dispose();
        stop.Dispose();
    }
}
