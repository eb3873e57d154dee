using System.Runtime.InteropServices;

namespace CsPyLive.Csound.Interop;

/// <summary>
/// The calling thread's floating-point rounding mode (C99 <c>fegetround</c>/<c>fesetround</c>, from libm), for the one
/// Csound call whose rounding places an event in the wrong k-cycle (<see cref="Engine"/>'s sample-accurate events).
/// Linux and macOS on x86-64 and AArch64; elsewhere <see cref="Available"/> is false.
/// </summary>
internal static unsafe class FloatRounding
{
    private static readonly delegate* unmanaged<int> get;
    private static readonly delegate* unmanaged<int, int> set;

    /// <summary>FE_DOWNWARD: its value is the architecture's control-register bits.</summary>
    public static readonly int Downward = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x400,
        Architecture.Arm64 => 0x800000,
        _ => -1,
    };

    static FloatRounding()
    {
        if (Downward < 0 || OperatingSystem.IsWindows()) return;
        var name = OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib" : "libm.so.6";
        if (!NativeLibrary.TryLoad(name, out var libm)) return;
        if (NativeLibrary.TryGetExport(libm, "fegetround", out var g) && NativeLibrary.TryGetExport(libm, "fesetround", out var s))
        {
            get = (delegate* unmanaged<int>)g;
            set = (delegate* unmanaged<int, int>)s;
        }
    }

    public static bool Available => get != null;

    /// <summary>Sets the mode downward and returns the one to restore (-1 where it cannot be set). Any thread, no allocation.</summary>
    public static int EnterDownward()
    {
        if (get == null) return -1;
        var mode = get();
        set(Downward);
        return mode;
    }

    /// <summary>Puts back what <see cref="EnterDownward"/> returned.</summary>
    public static void Restore(int mode)
    {
        if (mode >= 0) set(mode);
    }
}
