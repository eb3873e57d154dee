namespace CsPyLive.Tests.Midi;

/// <summary>Notes found in a recording of dc-keys.csd: where each step up starts and where it has died away.</summary>
public static class MidiOnsets
{
    public sealed record Note(long Onset, long End);

    public static List<Note> Find(double[] mono, double threshold = 1e-4)
    {
        var notes = new List<Note>();
        long start = -1;
        for (long i = 0; i < mono.Length; i++)
        {
            var on = Math.Abs(mono[i]) > threshold;
            if (on && start < 0) start = i;
            if (!on && start >= 0)
            {
                notes.Add(new Note(start, i));
                start = -1;
            }
        }
        return notes;
    }

    public static double[] Left(Support.WavFile wav, double scale = 1) =>
        Enumerable.Range(0, wav.Frames).Select(i => wav.Samples[i * wav.Channels] / scale).ToArray();
}
