using System.Globalization;
using CsPyLive.Osc;

namespace CsPyLive.Live;

/// <summary>
/// Before a show starts: patch.yaml names instruments (an OSC route's <c>event: "i 5 ..."</c>, a MIDI channel's
/// <c>instrument</c>) that the orchestra does not define. Csound would refuse each event as it comes, and a render
/// gave silence with exit status 0; a line at the start says which, where.
/// </summary>
/// <remarks>The orchestra is read as text (numbered <c>instr</c> lines); one that includes other files is not
/// checked, since its instruments may live there.</remarks>
internal static class InstrumentCheck
{
    public static IEnumerable<string> Missing(ShowOptions options, string csdText)
    {
        if (csdText.Contains("#include", StringComparison.Ordinal)) yield break;
        var defined = ShowPanic.OrchestraInstruments(csdText, []).Select(Math.Floor).ToHashSet();
        if (defined.Count == 0) yield break; // only named instruments: their numbers are Csound's to give
        string List() => string.Join(", ", defined.Order().Select(d => d.ToString(CultureInfo.InvariantCulture)));
        if (options.OscListen is not null)
            foreach (var route in options.Osc.Routes)
                if (route.Event is { } e && EventTemplate.Parse(e).ConstantInstrument is { } i && !defined.Contains(Math.Floor(i)))
                    yield return $"patch.yaml: osc route {route.Address} plays instrument {i.ToString(CultureInfo.InvariantCulture)}, " +
                        $"which the orchestra does not define (it has {List()}): its events will do nothing";
        if (options.MidiFromJack || options.MidiFile is not null)
            foreach (var (channel, c) in options.Midi.Channels.OrderBy(kv => kv.Key))
                if (c.Instrument is { } i && !defined.Contains(Math.Floor(i)))
                    yield return $"patch.yaml: midi channel {channel} plays instrument {i.ToString(CultureInfo.InvariantCulture)}, " +
                        $"which the orchestra does not define (it has {List()}): its notes will do nothing";
    }
}
