using System.Globalization;
using System.Text.RegularExpressions;
using CsPyLive.Csound;
using CsPyLive.Inputs;

namespace CsPyLive.Live;

/// <summary>
/// The show's one panic, whoever asks (a typed <c>panic</c>, OSC's <c>/panic</c>): at the k-cycle of its frame,
/// every instrument of the orchestra is turned off with its release, except those the patch keeps
/// (<c>panic.keep</c>); and every input forgets what it holds (MIDI releases its notes and lifts its pedal).
/// </summary>
/// <remarks>Threads: <see cref="Panic"/> from any thread; <see cref="Apply"/> on the audio thread, at a k-boundary.</remarks>
public sealed partial class ShowPanic : IShowPanic, IKBoundaryHandler
{
    private readonly Engine engine;
    private readonly double[] instruments;
    private readonly IReadOnlyList<IShowInput> inputs;
    private readonly IReadOnlyList<double> kept;
    private readonly byte handler;

    /// <param name="engine">The engine whose instruments it turns off.</param>
    /// <param name="instruments">The instruments to turn off (<see cref="OrchestraInstruments"/>).</param>
    /// <param name="inputs">The show's inputs; the list may still grow until the show starts.</param>
    /// <param name="kept">The instruments left out because the patch keeps them (for <see cref="Description"/>).</param>
    public ShowPanic(Engine engine, double[] instruments, IReadOnlyList<IShowInput> inputs, IReadOnlyList<double>? kept = null)
    {
        this.engine = engine;
        this.instruments = instruments;
        this.inputs = inputs;
        this.kept = kept ?? [];
        handler = engine.CustomActions.Add(this);
    }

    public IReadOnlyList<double> Instruments => instruments;

    /// <summary>What a panic does, for the performer: "every MIDI note released, every instrument turned off but 99 (panic.keep)".</summary>
    public string Description =>
        (inputs.Any(i => i.Describe().Kind == InputKind.Midi) ? "every MIDI note released, " : "") + "every instrument turned off" +
        (kept.Count == 0 ? "" : $" but {string.Join(", ", kept.Select(k => k.ToString(CultureInfo.InvariantCulture)))} (panic.keep)");

    public bool Panic(long frame)
    {
        var queued = engine.Enqueue(new TimedAction { Frame = frame, Kind = TimedActionKind.Custom, Handler = handler });
        foreach (var input in inputs) input.ForgetHeld();
        return queued;
    }

    /// <summary>Audio thread: turns the instruments off.</summary>
    public void Apply(in TimedAction action)
    {
        foreach (var instrument in instruments) engine.TurnOff(instrument);
    }

    /// <summary>Every instrument number the orchestra text defines (instr 1, 2, 10...), less those to keep.</summary>
    public static double[] OrchestraInstruments(string csdText, IReadOnlyList<double> keep)
    {
        var numbers = new SortedSet<double>();
        foreach (Match m in InstrLine().Matches(csdText))
            foreach (var part in m.Groups[1].Value.Split(','))
                if (double.TryParse(part.Trim(), CultureInfo.InvariantCulture, out var n) && !keep.Contains(n))
                    numbers.Add(n);
        return [.. numbers];
    }

    [GeneratedRegex(@"^\s*instr\s+([0-9][0-9,\s]*)", RegexOptions.Multiline)]
    private static partial Regex InstrLine();
}
