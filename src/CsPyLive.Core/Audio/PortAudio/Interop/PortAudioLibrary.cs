using System.Runtime.InteropServices;
using CsPyLive.Native;

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

    internal static readonly NativeLibraryFinder Finder = new("PortAudio", "CSPYLIVE_LIBPORTAUDIO", os =>
        os == OSPlatform.Windows ? ["portaudio.dll", "portaudio_x64.dll", "libportaudio-2.dll"]
        : os == OSPlatform.OSX
            ? ["/opt/homebrew/lib/libportaudio.2.dylib", "/usr/local/lib/libportaudio.2.dylib", "libportaudio.2.dylib", "libportaudio.dylib"]
            : [.. NativeLibraryFinder.LinuxPlaces("libportaudio.so.2"), "libportaudio.so"],
        "On Debian/Ubuntu: sudo apt-get install libportaudio2; macOS: brew install portaudio.");

    /// <summary>True once PortAudio has been loaded in this process.</summary>
    internal static bool IsLoaded => Finder.IsLoaded;

    /// <summary>Loads PortAudio or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    internal static nint Load() => Finder.Load();

    /// <summary>True if PortAudio can be loaded on this machine.</summary>
    internal static bool IsAvailable() => Finder.IsAvailable();
}
