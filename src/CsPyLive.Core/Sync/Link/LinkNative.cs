using System.Runtime.InteropServices;

namespace CsPyLive.Sync.Link;

/// <summary>
/// The raw C API of our Link shim (native/link/cspylive_link.h), names kept so the header can be grepped. Blittable
/// only, for NativeAOT and for the audio thread: the handle is an opaque <c>nint</c>, <c>uint8_t</c> booleans are
/// <c>byte</c>, <c>int64_t</c> times are <c>long</c>, the state is filled through a pointer. No marshalling stubs,
/// no allocation. Threads: <c>cspylive_link_audio_*</c> on the audio thread only; the rest on any other thread.
/// The clock and the audio-thread calls are short, never block and never call back (Link makes them realtime-safe),
/// so they skip the GC transition (<see cref="SuppressGCTransitionAttribute"/>): part of the clock's cost per callback.
/// </summary>
internal static unsafe partial class LinkNative
{
    static LinkNative() => NativeLibraryResolver.Register(LinkLibrary.Name, LinkLibrary.Load);

    /// <summary>The <c>CSPYLIVE_LINK_ABI_VERSION</c> this binding was written for.</summary>
    internal const int AbiVersion = 1;

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_abi_version")]
    internal static partial int cspylive_link_abi_version();

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_create")]
    internal static partial nint cspylive_link_create(double bpm);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_destroy")]
    internal static partial void cspylive_link_destroy(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_enable")]
    internal static partial int cspylive_link_enable(nint link, byte enable);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_is_enabled")]
    internal static partial byte cspylive_link_is_enabled(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_num_peers")]
    internal static partial uint cspylive_link_num_peers(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_clock_micros")]
    [SuppressGCTransition]
    internal static partial long cspylive_link_clock_micros(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_audio_capture")]
    [SuppressGCTransition]
    internal static partial void cspylive_link_audio_capture(nint link, long hostTimeMicros, double quantum, LinkState* state);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_audio_time_at_beat")]
    [SuppressGCTransition]
    internal static partial long cspylive_link_audio_time_at_beat(nint link, double beat, double quantum);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_audio_request_tempo")]
    [SuppressGCTransition]
    internal static partial void cspylive_link_audio_request_tempo(nint link, double bpm, long timeMicros);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_app_capture")]
    internal static partial void cspylive_link_app_capture(nint link, long timeMicros, double quantum, LinkState* state);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_tempo")]
    internal static partial double cspylive_link_tempo(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_set_tempo")]
    internal static partial void cspylive_link_set_tempo(nint link, double bpm, long timeMicros);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_enable_start_stop_sync")]
    internal static partial void cspylive_link_enable_start_stop_sync(nint link, byte enable);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_is_start_stop_sync_enabled")]
    internal static partial byte cspylive_link_is_start_stop_sync_enabled(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_is_playing")]
    internal static partial byte cspylive_link_is_playing(nint link);

    [LibraryImport(LinkLibrary.Name, EntryPoint = "cspylive_link_set_is_playing")]
    internal static partial void cspylive_link_set_is_playing(nint link, byte playing, long timeMicros);
}
