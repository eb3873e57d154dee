using CsPyLive.Audio.Jack;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Midi;
using CsPyLive.Python;

namespace CsPyLive.Cli;

/// <summary>What every command that performs a patch shares: resolving it, starting an engine in its folder, and
/// turning the failures a user can cause into a message and an exit code instead of a stack trace.</summary>
internal static class PatchRun
{
    /// <summary>Reads the patch's patch.yaml (defaults without one); prints why not and returns false when it is broken.</summary>
    public static bool TryLoadConfig(PatchSource patch, out PatchConfig config)
    {
        try
        {
            config = PatchConfig.Load(patch.Directory);
            return true;
        }
        catch (PatchConfigException e)
        {
            ConsoleLog.Fail(e.Message);
            config = null!;
            return false;
        }
    }

    /// <summary>
    /// Where a patch's MIDI goes: Csound's own MIDI system when patch.yaml says <c>route: csound</c> (attached before
    /// the engine starts, through <paramref name="beforeStart"/>), else the note router (made once it has started).
    /// </summary>
    public static Func<Engine, IMidiDestination> MidiDestination(MidiConfig config, out Action<Engine>? beforeStart)
    {
        if (config.Route == MidiRoute.Csound)
        {
            CsoundMidiInput? input = null;
            beforeStart = e => input = CsoundMidiInput.Attach(e);
            return _ => input!;
        }
        beforeStart = null;
        return e => new MidiRouter(e, config);
    }

    /// <summary>Resolves the user's patch argument; prints why not and returns false when it cannot.</summary>
    public static bool TryResolve(string input, out PatchSource patch)
    {
        try
        {
            patch = PatchSource.Resolve(input);
            return true;
        }
        catch (FileNotFoundException e)
        {
            ConsoleLog.Fail(e.Message);
            patch = null!;
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a started engine for <paramref name="patch"/>, with the patch folder as the
    /// working directory. A CSD that does not compile, Python or an audio device that cannot start, or a file that
    /// cannot be written prints Csound's messages and ours, and returns 1. The engine is disposed after the body.
    /// </summary>
    public static int WithEngine(PatchSource patch, Func<Engine, int> body, Action<Engine>? beforeStart = null)
    {
        Engine? engine = null;
        try
        {
            Directory.SetCurrentDirectory(patch.Directory);
            engine = new Engine();
            Session.Start(engine, patch, beforeStart);
            engine.Messages.Drain(ConsoleLog.Print);
            return body(engine);
        }
        catch (Exception e) when (e is CsoundException or PythonException or JackException or IOException
                                      or UnauthorizedAccessException or DllNotFoundException or PatchConfigException)
        {
            engine?.Messages.Drain(ConsoleLog.Print, flush: true);
            ConsoleLog.Fail(e.Message);
            return 1;
        }
        finally
        {
            engine?.Dispose();
        }
    }
}
