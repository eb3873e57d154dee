using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsPyLive.Csound;

namespace CsPyLive.Live;

/// <summary>
/// How many instances of each instrument are playing, for the live view. Csound 6's API has no call for it, so the
/// engine answers itself: a small instrument the host compiles into the running orchestra writes <c>active</c> of
/// each of the patch's instruments into a control channel every k-cycle (<c>cspylive.active.N</c>), and the view
/// reads the channels (plain double reads). It makes no sound, is started as a line event (not in the show log, so
/// a replay does not have it and does not need it), and a held line event does not keep a finished score alive.
/// </summary>
public sealed partial class InstanceCounter
{
    private readonly Engine engine;
    private readonly string[] names;
    private readonly int[] slots;

    private InstanceCounter(Engine engine, string[] names, int[] slots)
    {
        this.engine = engine;
        this.names = names;
        this.slots = slots;
    }

    public int Count => names.Length;

    /// <summary>The instrument's number or name, as the orchestra writes it.</summary>
    public string Name(int i) => names[i];

    /// <summary>Its instances playing at the last k-cycle. Any thread.</summary>
    public int Active(int i) => (int)engine.ReadChannel(slots[i]);

    /// <summary>
    /// Starts counting the instruments of <paramref name="csdPath"/>'s orchestra (up to <paramref name="limit"/>);
    /// null when it has none the host can name, or the counter does not compile (said, not thrown: it is a display).
    /// Control thread, before the performance or between k-cycles.
    /// </summary>
    public static InstanceCounter? Start(Engine engine, string csdPath, Action<string> warn, int limit = 32)
    {
        string text;
        try { text = File.ReadAllText(csdPath); } catch (IOException) { return null; }
        var names = Instruments(text).Take(limit).ToArray();
        if (names.Length == 0) return null;
        var slots = new int[names.Length];
        var code = new StringBuilder("instr cspylive_instance_counter\n");
        for (var i = 0; i < names.Length; i++)
        {
            var channel = "cspylive.active." + names[i];
            slots[i] = engine.ChannelSlot(channel);
            var which = char.IsDigit(names[i][0]) ? names[i] : $"\"{names[i]}\"";
            code.Append(CultureInfo.InvariantCulture, $"  chnset active:k({which}), \"{channel}\"\n");
        }
        code.Append("endin\n");
        try
        {
            engine.CompileOrchestra(code.ToString(), "the instance counter", "i \"cspylive_instance_counter\" 0 -1");
        }
        catch (CsoundException e)
        {
            warn($"instances per instrument are not shown: {e.Message}");
            return null;
        }
        return new InstanceCounter(engine, names, slots);
    }

    /// <summary>The instruments an orchestra defines (<c>instr 1, 2</c>, <c>instr Name</c>), in order, once each.</summary>
    internal static IEnumerable<string> Instruments(string csd)
    {
        var orchestra = Orchestra().Match(csd) is { Success: true } m ? m.Groups[1].Value : csd;
        var seen = new HashSet<string>();
        foreach (Match line in InstrLine().Matches(orchestra))
            foreach (var part in line.Groups[1].Value.Split(','))
            {
                var name = part.Trim().TrimStart('+');
                if (name.Length > 0 && (Number().IsMatch(name) || Identifier().IsMatch(name)) && seen.Add(name)) yield return name;
            }
    }

    [GeneratedRegex(@"<CsInstruments>(.*?)</CsInstruments>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Orchestra();

    [GeneratedRegex(@"^\s*instr\s+([^;\r\n]+)", RegexOptions.Multiline)]
    private static partial Regex InstrLine();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
