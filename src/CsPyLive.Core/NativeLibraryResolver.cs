using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Csound.Interop;

namespace CsPyLive;

/// <summary>
/// The one DllImport resolver of this assembly (.NET allows one per assembly): maps each binding's logical library
/// name to the loader that knows the platform's file names. Installed by a module initializer, before any P/Invoke.
/// </summary>
internal static class NativeLibraryResolver
{
    private static readonly Dictionary<string, Func<nint>> Loaders = new()
    {
        [CsoundLibrary.Name] = CsoundLibrary.Load,
    };

#pragma warning disable CA2255 // a library-wide resolver must be in place before the first P/Invoke, from any entry point
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    /// <summary>Lets another binding (e.g. libpython, libjack) register its loader; call before its first P/Invoke.</summary>
    internal static void Register(string name, Func<nint> loader)
    {
        lock (Loaders) Loaders[name] = loader;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        Func<nint>? loader;
        lock (Loaders) Loaders.TryGetValue(name, out loader);
        return loader is null ? 0 : loader();
    }
}
