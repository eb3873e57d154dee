namespace CsPyLive.Live;

/// <summary>
/// The one reader of <see cref="OutputMeters"/>, fanning its windows out: the show's control loop pumps it every tick,
/// hands each window to the <see cref="ShowTimeline"/> and offers it to every <see cref="MeterFeed"/> (the dashboard's).
/// The audio thread is unchanged: it still fills one queue, read by one thread.
/// </summary>
/// <remarks><see cref="Pump"/> on the control thread only; <see cref="Subscribe"/> from any thread.</remarks>
public sealed class MeterTap(OutputMeters source)
{
    private MeterFeed[] feeds = [];
    private readonly Lock subscribing = new();

    /// <summary>A new reader's feed: it gets every window finished from now on.</summary>
    public MeterFeed Subscribe()
    {
        var feed = new MeterFeed();
        lock (subscribing) Volatile.Write(ref feeds, [.. feeds, feed]); // copied, so Pump reads an array that never changes
        return feed;
    }

    /// <summary>Control thread: takes every window the audio thread finished; returns how many.</summary>
    public int Pump(ShowTimeline? timeline)
    {
        var readers = Volatile.Read(ref feeds);
        var taken = 0;
        while (source.TryTake(out var window))
        {
            taken++;
            timeline?.Add(in window);
            foreach (var feed in readers) feed.Offer(in window);
        }
        return taken;
    }
}
