using System.Diagnostics;
using CsPyLive.Python;

namespace CsPyLive.Tests.Python;

/// <summary>The GIL-wait timing the reload benchmark uses to see, from the audio thread, whether anyone held it up.</summary>
[Collection("Python")]
public class GilWaitTests
{
    [Fact]
    public void A_timed_thread_records_how_long_another_thread_kept_the_GIL()
    {
        PythonRuntime.EnsureInitialized();
        using var holding = new ManualResetEventSlim();
        using var primed = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            primed.Wait();
            using var gil = Gil.Acquire();
            holding.Set();
            Thread.Sleep(100); // a C# sleep keeps the GIL
        });
        long waited = 0;
        var waiter = new Thread(() =>
        {
            using (Gil.Acquire()) { } // a thread's first acquisition sets it up for Python (untimed, like the audio thread's first)
            Gil.TimeWaitsOnThisThread();
            primed.Set();
            holding.Wait();
            var before = Stopwatch.GetTimestamp();
            using (Gil.Acquire()) waited = Stopwatch.GetTimestamp() - before;
        });
        Gil.ResetMaxWait();
        holder.Start();
        waiter.Start();
        holder.Join();
        waiter.Join();
        Assert.True(waited > Stopwatch.Frequency / 1000, $"the waiter did not wait ({waited} ticks)"); // the premise
        Assert.InRange(Gil.MaxWaitTicks, waited / 2, waited);
    }
}
