using CsPyLive.Realtime;

namespace CsPyLive.Tests.Realtime;

public sealed class BoundedQueueTests
{
    [Fact]
    public void Is_first_in_first_out_and_refuses_when_full()
    {
        var q = new BoundedQueue<int>(4);
        for (var i = 0; i < 4; i++) Assert.True(q.TryEnqueue(i));
        Assert.False(q.TryEnqueue(99));
        for (var i = 0; i < 4; i++)
        {
            Assert.True(q.TryDequeue(out var v));
            Assert.Equal(i, v);
        }
        Assert.False(q.TryDequeue(out _));
    }

    [Fact]
    public async Task Loses_and_duplicates_nothing_across_threads()
    {
        var q = new BoundedQueue<long>(64);
        const int perProducer = 200_000;
        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            for (long i = 0; i < perProducer; i++)
                while (!q.TryEnqueue(p * 1_000_000_000L + i)) Thread.SpinWait(1);
        })).ToArray();
        var last = new long[] { -1, -1 };
        var received = 0;
        while (received < 2 * perProducer)
        {
            if (!q.TryDequeue(out var v)) continue;
            var p = (int)(v / 1_000_000_000L);
            var i = v % 1_000_000_000L;
            Assert.Equal(last[p] + 1, i); // each producer's records arrive in order, none missing
            last[p] = i;
            received++;
        }
        await Task.WhenAll(producers);
        Assert.False(q.TryDequeue(out _));
    }

    [Fact]
    public void Capacity_must_be_a_power_of_two()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedQueue<int>(6));
    }
}
