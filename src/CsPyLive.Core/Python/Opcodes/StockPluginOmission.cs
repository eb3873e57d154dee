using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// Keeps csound-plugins' stock <c>libpy.so</c> out of every Csound instance this process creates, so the Python opcode
/// names resolve to ours. Csound loads its plugins in csoundCreate, before a host can register anything, and when two
/// entries fit an opcode call it takes the one registered first: the stock one. Its only switch is the
/// <c>CS_OMIT_LIBS</c> environment variable, read (with getenv) while loading plugins; <c>--opcode-omit</c> is listed
/// by <c>csound --help</c> but 6.18 rejects it. So, at assembly load, before any engine exists, we add "libpy" to it.
/// </summary>
/// <remarks>.NET's Environment.SetEnvironmentVariable does not reach C's environ on Unix, hence setenv.</remarks>
internal static class StockPluginOmission
{
    internal const string Variable = "CS_OMIT_LIBS";
    internal const string StockLibrary = "libpy";

#pragma warning disable CA2255 // must run before the first csoundCreate, from any entry point
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        if (OperatingSystem.IsWindows()) return; // csound-plugins' py is a Linux/macOS package; Windows would need _putenv_s
        var current = Marshal.PtrToStringUTF8(getenv(Variable));
        if (current is not null && current.Split(',').Contains(StockLibrary)) return;
        setenv(Variable, string.IsNullOrEmpty(current) ? StockLibrary : current + "," + StockLibrary, 1);
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
