using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Reload;

/// <summary>
/// The Python side of a swap: <c>reload_swap</c> runs a module's code into <c>__main__</c> and returns a snapshot of
/// what it replaced (or puts everything back if it raises), <c>reload_rollback</c> puts a snapshot back. Defined once
/// per reloader in our private helper namespace, and run once on an empty module at start so that the first swap of
/// a show does not pay for first times. Every member: GIL held.
/// </summary>
internal sealed unsafe class ReloadHelpers : IDisposable
{
    private nint swap;
    private nint rollback;

    public ReloadHelpers()
    {
        PythonRuntime.DefineHelpers(Source, "<cspylive-reload>");
        swap = PythonRuntime.Helper("reload_swap");
        rollback = PythonRuntime.Helper("reload_rollback");
        PythonRuntime.DefineHelpers("""
            _scratch = {'__builtins__': __builtins__}
            _empty = compile('_warm = 1\ndef _warm_f(x):\n    return x\n', '<cspylive-warm-up>', 'exec')
            reload_rollback(reload_swap(_empty, _scratch), _scratch)
            reload_rollback(reload_swap(_empty, _scratch, lambda: False), _scratch)
            del _scratch, _empty
            """, "<cspylive-reload-warm-up>");
    }

    /// <summary>
    /// Runs <paramref name="code"/> into <c>__main__</c>. Returns the snapshot of what it replaced (a new reference),
    /// or null with the Python error set if the module raised (and everything it touched was put back). With
    /// <paramref name="audioBusy"/> (a gap swap, on the control thread): Python's None when the next callback started
    /// first and the module's changes were undone.
    /// </summary>
    public NewReference Swap(nint code, nint audioBusy = 0)
    {
        var args = stackalloc nint[3] { code, PythonRuntime.MainDict.Pointer, audioBusy };
        return PyApi.PyObject_Vectorcall(new(swap), args, audioBusy == 0 ? 2u : 3u, 0);
    }

    /// <summary>Puts <paramref name="snapshot"/> back into <c>__main__</c>; null with the Python error set if that failed.</summary>
    public NewReference RollBack(nint snapshot)
    {
        var args = stackalloc nint[2] { snapshot, PythonRuntime.MainDict.Pointer };
        return PyApi.PyObject_Vectorcall(new(rollback), args, 2, 0);
    }

    private const string Source = """
        _missing = object()

        import gc as _gc
        import sys as _sys

        def reload_snapshot(code, main):
            '''{name: current value (or _missing)} for the names a module's code stores: module-level assignments and
            defs store names listed in co_names, so this costs the same however big __main__ has grown.'''
            return {k: main.get(k, _missing) for k in code.co_names}

        class _GapOverrun(BaseException):
            '''Raised into a reloaded module's code, run in the idle gap, once the next audio callback has started.'''

        def reload_swap(code, main, audio_busy=None):
            '''Runs a reloaded module's code in __main__ and returns the snapshot of what it replaced, for a rollback. If
            the code raises, puts back what it touched and re-raises. With audio_busy (the control thread, in the audio
            thread's idle gap): the switch interval is raised so the GIL is never handed over half-way, and a line
            tracer gives up as soon as audio_busy() says the next callback has started; then what the code touched is
            put back and None returned (the audio thread will run it).'''
            before = reload_snapshot(code, main)
            in_gap = audio_busy is not None
            overran = [False]
            collecting = _gc.isenabled()
            _gc.disable()  # no collection of the whole heap in the middle of the swap
            if in_gap:
                def tracer(frame, event, arg):
                    if audio_busy():
                        overran[0] = True
                        raise _GapOverrun
                    return tracer
                interval = _sys.getswitchinterval()
                _sys.setswitchinterval(1.0)
                _sys.settrace(tracer)
            try:
                exec(code, main)
            except BaseException as e:
                if in_gap:
                    _sys.settrace(None)  # before putting things back: the tracer must not interrupt that
                reload_rollback(before, main)
                if isinstance(e, _GapOverrun):
                    return None
                raise
            finally:
                if in_gap:
                    _sys.settrace(None)
                    _sys.setswitchinterval(interval)
                if collecting:
                    _gc.enable()
            if in_gap and overran[0]:  # the module caught _GapOverrun itself (a bare except): still an overrun
                reload_rollback(before, main)
                return None
            return before

        def reload_rollback(before, main):
            for k, old in before.items():
                if old is _missing:
                    main.pop(k, None)
                else:
                    main[k] = old
        """;

    public void Dispose()
    {
        if (swap != 0) PyApi.Py_DecRef(swap);
        if (rollback != 0) PyApi.Py_DecRef(rollback);
        swap = rollback = 0;
    }
}
