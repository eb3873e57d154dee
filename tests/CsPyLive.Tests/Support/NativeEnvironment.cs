using System.Runtime.InteropServices;

namespace CsPyLive.Tests.Support;

/// <summary>
/// Sets variables in the C environment that native libraries read with getenv (libjack's JACK_DEFAULT_SERVER).
/// .NET's Environment.SetEnvironmentVariable keeps its own copy on Unix and does not reach them. Process-wide: tests
/// that use it must not run in parallel with each other.
/// </summary>
public static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        if (setenv(name, value, 1) != 0) throw new InvalidOperationException($"setenv {name} failed");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
