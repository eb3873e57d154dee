namespace CsPyLive.Live;

/// <summary>One second of a show, as <c>--stats</c> writes it in <c>"timeline"</c>.</summary>
/// <param name="Second">The second of the show (of audio produced) the row covers: [Second, Second + 1).</param>
/// <param name="LoadMean">Callback time over real time in that second, as a fraction (offline: over the audio's time).</param>
/// <param name="LoadPeak">The longest callback in that second over its period, as a fraction.</param>
/// <param name="Xruns">The backend's xruns counted in that second.</param>
/// <param name="PeakDbfs">The loudest output sample in dBFS; null for silence.</param>
/// <param name="Osc">OSC messages received in that second.</param>
/// <param name="Midi">MIDI messages received in that second.</param>
/// <param name="Events">Markers: <c>reload ok tablet.py</c>, <c>reload error tablet.py:12: SyntaxError: ...</c>,
/// <c>reload rolled back tablet.py</c>, <c>error: ...</c> (Csound's or Python's errors).</param>
public sealed record TimelineRow(int Second, double LoadMean, double LoadPeak, long Xruns, double? PeakDbfs, long Osc, long Midi,
    IReadOnlyList<string> Events);

/// <summary>Running totals the timeline differences each second.</summary>
public readonly record struct TimelineCounts(long Xruns, long Osc, long Midi);
