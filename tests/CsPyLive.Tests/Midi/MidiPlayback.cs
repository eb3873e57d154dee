using CsPyLive.Csound;
using CsPyLive.Midi;

namespace CsPyLive.Tests.Midi;

/// <summary>Plays timed MIDI messages into a destination the way a live port does: each period's events are sent
/// at engine.OutputFrame + offset just before the period is processed.</summary>
public static class MidiPlayback
{
    public static float[] Play(Engine engine, IMidiDestination destination, IEnumerable<(long Frame, MidiMessage Message)> events,
        int totalFrames, int period = 256, Action<long>? beforePeriod = null)
    {
        var queue = new Queue<(long Frame, MidiMessage Message)>(events.OrderBy(e => e.Frame));
        var output = new float[totalFrames * engine.OutputChannels];
        var buffer = new float[period * engine.OutputChannels];
        for (var done = 0; done < totalFrames; done += period)
        {
            beforePeriod?.Invoke(done);
            while (queue.Count > 0 && queue.Peek().Frame < done + period)
            {
                var (frame, message) = queue.Dequeue();
                destination.Send(message, engine.OutputFrame + (frame - done));
            }
            var n = Math.Min(period, totalFrames - done);
            engine.Process(buffer, default, n);
            buffer.AsSpan(0, n * engine.OutputChannels).CopyTo(output.AsSpan(done * engine.OutputChannels));
        }
        return output;
    }

    public static double Left(float[] stereo, long frame) => stereo[frame * 2];
    public static double Right(float[] stereo, long frame) => stereo[frame * 2 + 1];

    public static MidiChannel Ch(int number) => MidiChannel.FromNumber(number);
}
