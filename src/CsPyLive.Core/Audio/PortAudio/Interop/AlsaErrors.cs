using System.Runtime.InteropServices;

namespace CsPyLive.Audio.PortAudio.Interop;

/// <summary>
/// alsa-lib prints every failed probe to stderr ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM
/// cards.pcm.rear", dozens of lines when PortAudio scans a machine without a sound card). PortAudio reports what
/// matters through its own errors, which we turn into one line; so alsa-lib's handler is replaced by a silent one
/// (<c>snd_lib_error_set_handler</c>) before PortAudio initialises. Linux only; without libasound it does nothing.
/// </summary>
internal static unsafe partial class AlsaErrors
{
    private static int silenced;

    public static void Silence()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref silenced, 1) != 0) return;
        if (!NativeLibrary.TryLoad("libasound.so.2", out var asound)) return;
        if (!NativeLibrary.TryGetExport(asound, "snd_lib_error_set_handler", out var setHandler)) return;
        ((delegate* unmanaged<delegate* unmanaged<byte*, int, byte*, int, byte*, void>, int>)setHandler)(&Drop);
    }

    /// <summary>
    /// void (*snd_lib_error_handler_t)(const char* file, int line, const char* function, int err, const char* fmt, ...):
    /// variadic in C; a handler that ignores its arguments may be declared without the variadic part (the fixed
    /// arguments arrive as for any call, and the rest are never read).
    /// </summary>
    [UnmanagedCallersOnly]
    private static void Drop(byte* file, int line, byte* function, int error, byte* format) { }
}
