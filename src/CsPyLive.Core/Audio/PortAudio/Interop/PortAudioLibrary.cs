using System.Runtime.InteropServices;

namespace CsPyLive.Audio.PortAudio.Interop;

/// <summary>
/// Finds PortAudio v19 at run time: Debian's libportaudio2 ships <c>libportaudio.so.2</c> (host APIs ALSA, OSS and
/// JACK), Homebrew <c>libportaudio.2.dylib</c> (CoreAudio), Windows builds <c>portaudio.dll</c> or
/// <c>portaudio_x64.dll</c> (WASAPI, WDM-KS, DirectSound, MME, and ASIO where built with it). $CSPYLIVE_LIBPORTAUDIO
/// names another. Registered with <see cref="NativeLibraryResolver"/> by <see cref="PortAudio"/>'s static constructor.
/// </summary>
internal static class PortAudioLibrary
{
    internal const string Name = "portaudio";

    private static readonly string[] Candidates = OperatingSystem.IsWindows()
        ? ["portaudio.dll", "portaudio_x64.dll", "libportaudio-2.dll"]
        : OperatingSystem.IsMacOS()
            ? ["libportaudio.2.dylib", "libportaudio.dylib", "/opt/homebrew/lib/libportaudio.2.dylib", "/usr/local/lib/libportaudio.2.dylib"]
            : ["libportaudio.so.2", "libportaudio.so", "/usr/lib/x86_64-linux-gnu/libportaudio.so.2",
               "/usr/lib/aarch64-linux-gnu/libportaudio.so.2", "/usr/local/lib/libportaudio.so.2"];

    private static nint handle;

    /// <summary>True once PortAudio has been loaded in this process.</summary>
    internal static bool IsLoaded => handle != 0;

    /// <summary>Loads PortAudio or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    internal static nint Load()
    {
        if (handle != 0) return handle;
        var env = Environment.GetEnvironmentVariable("CSPYLIVE_LIBPORTAUDIO");
        foreach (var candidate in env is null ? Candidates : [env, .. Candidates])
        {
            if (NativeLibrary.TryLoad(candidate, out var h))
            {
                handle = h;
                return h;
            }
        }
        throw new DllNotFoundException(
            "PortAudio was not found (tried " + string.Join(", ", Candidates) + "). On Debian/Ubuntu: sudo apt-get install " +
            "libportaudio2; macOS: brew install portaudio. Or set CSPYLIVE_LIBPORTAUDIO to its path.");
    }

    /// <summary>True if PortAudio can be loaded on this machine.</summary>
    internal static bool IsAvailable()
    {
        try { return Load() != 0; }
        catch (DllNotFoundException) { return false; }
    }
}
