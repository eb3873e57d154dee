using CsPyLive.Csound;
using CsPyLive.Python.Opcodes;

namespace CsPyLive.Live;

/// <summary>
/// Builds a started <see cref="Engine"/> for a patch: registers our opcode libraries, compiles the CSD, overrides
/// what the host owns (audio and MIDI devices, output files), and starts. Control thread only.
/// </summary>
public static class Session
{
    /// <summary>
    /// Options that come after the CSD's &lt;CsOptions&gt; and so win over them: the host, not Csound, owns the
    /// audio device and the output file (host-implemented audio; we write the WAV ourselves).
    /// </summary>
    internal static readonly string[] HostOverrides =
    [
        "-n",                  // no sound file or device of Csound's own: -o, -W, -f, -odac... in CsOptions are moot
        "-+rtaudio=null",      // and no real-time audio module even if CsOptions names one
        "-d",                  // no displays
    ];

    /// <summary>
    /// Compiles <paramref name="patch"/> into a new <paramref name="engine"/> (the caller owns and disposes it, and
    /// drains its messages, which say where a compile failed) and starts it. Throws <see cref="CsoundException"/>.
    /// </summary>
    public static void Start(Engine engine, PatchSource patch, Action<Engine>? beforeStart = null)
    {
        engine.BeforeCompile += PythonOpcodes.Register;
        // Files the orchestra names (pyexeci "chain.py", soundfiles) are found next to the .csd, wherever we run.
        engine.SetOption($"--env:INCDIR+={patch.Directory}");
        engine.SetOption($"--env:SSDIR+={patch.Directory}");
        engine.CompileCsd(patch.CsdPath);
        foreach (var option in HostOverrides) engine.SetOption(option);
        beforeStart?.Invoke(engine);
        engine.Start();
    }
}
