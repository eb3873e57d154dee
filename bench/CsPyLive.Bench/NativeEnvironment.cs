using System.Runtime.InteropServices;

namespace CsPyLive.Bench;

/// <summary>
/// Sets a variable in the C environment, where native libraries read it (libjack's JACK_DEFAULT_SERVER): .NET's
/// Environment.SetEnvironmentVariable on Unix changes only the runtime's own copy.
/// </summary>
internal static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows() && setenv(name, value, 1) != 0) throw new InvalidOperationException($"setenv {name} failed");
    }

    /// <summary><c>int setenv(const char* name, const char* value, int overwrite)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
