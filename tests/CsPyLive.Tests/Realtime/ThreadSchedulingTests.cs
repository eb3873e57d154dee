using System.Runtime.InteropServices;
using CsPyLive.Realtime;

namespace CsPyLive.Tests.Realtime;

/// <summary>.NET's Thread.Priority does nothing on Linux; ours must change what the kernel sees.</summary>
public sealed partial class ThreadSchedulingTests
{
    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();

    /// <summary>Fields 18/19 of /proc/self/task/TID/stat (1-based): priority and nice; policy is field 41.</summary>
    private static (int Nice, int Policy) Kernel()
    {
        var stat = File.ReadAllText($"/proc/self/task/{gettid()}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // field 3 onwards
        return (int.Parse(fields[19 - 3]), int.Parse(fields[41 - 3]));
    }

    [Fact]
    public void A_background_thread_is_niced_so_it_yields_to_audio()
    {
        if (!OperatingSystem.IsLinux()) return;
        (int Nice, int Policy) seen = default;
        var result = SchedulingClass.Default;
        var t = new Thread(() => { result = ThreadScheduling.MakeBackgroundThread(7); seen = Kernel(); });
        t.Start();
        t.Join();
        Assert.Equal(SchedulingClass.Lowered, result);
        Assert.Equal(7, seen.Nice);
    }

    [Fact]
    public void The_audio_thread_gets_real_time_scheduling_when_the_system_allows_it()
    {
        if (!OperatingSystem.IsLinux()) return;
        (int Nice, int Policy) seen = default;
        var result = SchedulingClass.Default;
        var t = new Thread(() => { result = ThreadScheduling.MakeAudioThread(10); seen = Kernel(); });
        t.Start();
        t.Join();
        // What the system allows differs (root, rtprio limits); what we report must match what the kernel did.
        switch (result)
        {
            case SchedulingClass.Realtime: Assert.Equal(1, seen.Policy); break;           // SCHED_FIFO
            case SchedulingClass.RaisedNice: Assert.Equal(-10, seen.Nice); break;
            default: Assert.Equal((0, 0), (seen.Nice, seen.Policy)); break;
        }
    }
}
