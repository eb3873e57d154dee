using System.Runtime.InteropServices;

namespace CsPyLive.Realtime;

/// <summary>How a thread ended up being scheduled, for the log.</summary>
public enum SchedulingClass
{
    /// <summary>Left as the OS made it.</summary>
    Default,
    /// <summary>SCHED_FIFO: runs before every ordinary thread (needs root, CAP_SYS_NICE or an rtprio limit).</summary>
    Realtime,
    /// <summary>A better nice value than ordinary threads.</summary>
    RaisedNice,
    /// <summary>A worse nice value: yields to the audio thread under load.</summary>
    Lowered,
}

/// <summary>
/// Scheduling for our own threads on Linux. .NET's <see cref="Thread.Priority"/> does nothing there, so the null
/// backend's audio thread would compete as an equal with a busy OSC receiver or a build on the same cores. Call
/// these from the thread itself, at its start. Elsewhere (macOS, Windows) they do nothing and say so.
/// </summary>
public static partial class ThreadScheduling
{
    private const int SCHED_FIFO = 1;
    private const int PRIO_PROCESS = 0;

    /// <summary>
    /// Makes the calling thread real-time (SCHED_FIFO at <paramref name="priority"/>) or, without the right, gives it
    /// the best nice value it may have. Returns what it got. For the audio thread only: a real-time thread that spins
    /// forever starves the machine (the kernel keeps 5% back for others).
    /// </summary>
    public static SchedulingClass MakeAudioThread(int priority = 70)
    {
        if (!OperatingSystem.IsLinux()) return SchedulingClass.Default;
        var param = priority;
        if (sched_setscheduler(gettid(), SCHED_FIFO, ref param) == 0) return SchedulingClass.Realtime;
        return setpriority(PRIO_PROCESS, (uint)gettid(), -10) == 0 ? SchedulingClass.RaisedNice : SchedulingClass.Default;
    }

    /// <summary>Lets the calling thread yield to the audio thread (nice +<paramref name="nice"/>): input and housekeeping.</summary>
    public static SchedulingClass MakeBackgroundThread(int nice = 5)
    {
        if (!OperatingSystem.IsLinux()) return SchedulingClass.Default;
        return setpriority(PRIO_PROCESS, (uint)gettid(), nice) == 0 ? SchedulingClass.Lowered : SchedulingClass.Default;
    }

    /// <summary>pid_t gettid(void): the kernel's id of the calling thread.</summary>
    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();

    /// <summary>int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param); sched_param is one int.</summary>
    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, ref int param);

    /// <summary>int setpriority(int which, id_t who, int prio); id_t is unsigned 32-bit.</summary>
    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);
}
