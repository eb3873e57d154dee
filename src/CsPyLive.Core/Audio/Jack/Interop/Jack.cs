using System.Runtime.InteropServices;

namespace CsPyLive.Audio.Jack.Interop;

/// <summary>
/// The raw libjack C API (jack/jack.h, jack/midiport.h, JACK2 1.9.x), names kept so the headers can be grepped.
/// Type mappings: <c>jack_client_t*</c> and <c>jack_port_t*</c> are opaque <c>nint</c>; <c>jack_nframes_t</c> is
/// <c>uint32_t</c> → <c>uint</c>; enums (<c>jack_options_t</c>, <c>jack_status_t</c>) are C <c>int</c> → <c>int</c>;
/// <c>unsigned long</c> → <see cref="CULong"/> (32-bit on Windows, 64-bit on Linux/macOS); <c>const char*</c> in
/// → UTF-8 <c>string</c>, out → <c>byte*</c> (JACK owns it, or it is freed with <see cref="jack_free"/>).
/// Callbacks are <c>delegate* unmanaged</c> to <c>[UnmanagedCallersOnly]</c> statics with a GCHandle as <c>void* arg</c>.
/// </summary>
internal static unsafe partial class Jack
{
    static Jack() => NativeLibraryResolver.Register(JackLibrary.Name, JackLibrary.Load);

    // jack/types.h JackOptions
    internal const int JackNullOption = 0x00;
    internal const int JackNoStartServer = 0x01;
    internal const int JackUseExactName = 0x02;

    // jack/types.h JackStatus (bits)
    internal const int JackFailure = 0x01;
    internal const int JackInvalidOption = 0x02;
    internal const int JackNameNotUnique = 0x04;
    internal const int JackServerStarted = 0x08;
    internal const int JackServerFailed = 0x10;
    internal const int JackServerError = 0x20;
    internal const int JackNoSuchClient = 0x40;
    internal const int JackLoadFailure = 0x80;
    internal const int JackInitFailure = 0x100;
    internal const int JackShmFailure = 0x200;
    internal const int JackVersionError = 0x400;
    internal const int JackBackendError = 0x800;
    internal const int JackClientZombie = 0x1000;

    // jack/types.h JackPortFlags
    internal const uint JackPortIsInput = 0x1;
    internal const uint JackPortIsOutput = 0x2;
    internal const uint JackPortIsPhysical = 0x4;
    internal const uint JackPortIsTerminal = 0x10;

    // jack/types.h JACK_DEFAULT_AUDIO_TYPE, JACK_DEFAULT_MIDI_TYPE
    internal const string JACK_DEFAULT_AUDIO_TYPE = "32 bit float mono audio";
    internal const string JACK_DEFAULT_MIDI_TYPE = "8 bit raw midi";

    /// <summary>
    /// <c>jack_client_t* jack_client_open(const char* client_name, jack_options_t options, jack_status_t* status, ...)</c>.
    /// Variadic in C: bound in its 3-argument form (no server name, no load name), which is valid for every ABI we
    /// target because no variadic argument is passed. The server is chosen by <c>JACK_DEFAULT_SERVER</c>.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_client_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint jack_client_open(string client_name, int options, int* status);

    /// <summary><c>int jack_client_close(jack_client_t*)</c>: waits for the process callback in flight.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_client_close")]
    internal static partial int jack_client_close(nint client);

    /// <summary><c>char* jack_get_client_name(jack_client_t*)</c>: owned by JACK (the name may differ from the one asked).</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_get_client_name")]
    internal static partial byte* jack_get_client_name(nint client);

    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_activate")]
    internal static partial int jack_activate(nint client);

    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_deactivate")]
    internal static partial int jack_deactivate(nint client);

    /// <summary><c>jack_nframes_t jack_get_sample_rate(jack_client_t*)</c></summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_get_sample_rate")]
    internal static partial uint jack_get_sample_rate(nint client);

    /// <summary><c>jack_nframes_t jack_get_buffer_size(jack_client_t*)</c>: the period, in frames.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_get_buffer_size")]
    internal static partial uint jack_get_buffer_size(nint client);

    /// <summary>
    /// <c>int jack_set_process_callback(jack_client_t*, JackProcessCallback, void* arg)</c>, where
    /// <c>int (*JackProcessCallback)(jack_nframes_t nframes, void* arg)</c> runs on JACK's real-time thread.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_set_process_callback")]
    internal static partial int jack_set_process_callback(nint client, delegate* unmanaged<uint, nint, int> callback, nint arg);

    /// <summary><c>int jack_set_xrun_callback(jack_client_t*, int (*)(void* arg), void* arg)</c>: non-RT notification thread.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_set_xrun_callback")]
    internal static partial int jack_set_xrun_callback(nint client, delegate* unmanaged<nint, int> callback, nint arg);

    /// <summary>
    /// <c>int jack_set_buffer_size_callback(jack_client_t*, int (*)(jack_nframes_t nframes, void* arg), void* arg)</c>:
    /// in JACK2 on the notification thread (not the process thread), before the first period of the new size.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_set_buffer_size_callback")]
    internal static partial int jack_set_buffer_size_callback(nint client, delegate* unmanaged<uint, nint, int> callback, nint arg);

    /// <summary>
    /// <c>void jack_on_info_shutdown(jack_client_t*, void (*)(jack_status_t code, const char* reason, void* arg), void* arg)</c>:
    /// the server went away; the client handle must then only be closed, from another thread.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_on_info_shutdown")]
    internal static partial void jack_on_info_shutdown(nint client, delegate* unmanaged<int, byte*, nint, void> callback, nint arg);

    /// <summary>
    /// <c>jack_port_t* jack_port_register(jack_client_t*, const char* port_name, const char* port_type,
    /// unsigned long flags, unsigned long buffer_size)</c>: <c>unsigned long</c> → <see cref="CULong"/>.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_port_register", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint jack_port_register(nint client, string port_name, string port_type, CULong flags, CULong buffer_size);

    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_port_unregister")]
    internal static partial int jack_port_unregister(nint client, nint port);

    /// <summary><c>void* jack_port_get_buffer(jack_port_t*, jack_nframes_t)</c>: valid for this process cycle only.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_port_get_buffer")]
    [SuppressGCTransition] // short and lock-free, called every period on the process thread
    internal static partial void* jack_port_get_buffer(nint port, uint nframes);

    /// <summary><c>int jack_port_connected(const jack_port_t*)</c>: how many ports this one is connected to.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_port_connected")]
    internal static partial int jack_port_connected(nint port);

    /// <summary>
    /// <c>void jack_port_get_latency_range(jack_port_t*, jack_latency_callback_mode_t mode, jack_latency_range_t*)</c>:
    /// the enum is an int (<see cref="JackPlaybackLatency"/>); the range is two <c>jack_nframes_t</c> (uint).
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_port_get_latency_range")]
    internal static partial void jack_port_get_latency_range(nint port, int mode, JackLatencyRange* range);

    /// <summary><c>JackPlaybackLatency</c> of <c>jack_latency_callback_mode_t</c>: from a port to the speaker.</summary>
    internal const int JackPlaybackLatency = 1;

    /// <summary><c>const char* jack_port_name(const jack_port_t*)</c>: the full "client:port" name, owned by JACK.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_port_name")]
    internal static partial byte* jack_port_name(nint port);

    /// <summary><c>int jack_connect(jack_client_t*, const char* source_port, const char* destination_port)</c>; EEXIST if already.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_connect", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int jack_connect(nint client, string source_port, string destination_port);

    /// <summary>
    /// <c>const char** jack_get_ports(jack_client_t*, const char* port_name_pattern, const char* type_name_pattern,
    /// unsigned long flags)</c>: a NULL-terminated array to release with <see cref="jack_free"/>, or NULL.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_get_ports", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte** jack_get_ports(nint client, string? port_name_pattern, string? type_name_pattern, CULong flags);

    /// <summary><c>void jack_free(void* ptr)</c>: frees what JACK allocated (jack_get_ports).</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_free")]
    internal static partial void jack_free(void* ptr);

    /// <summary>
    /// <c>void jack_set_error_function(void (*)(const char* msg))</c> and <c>jack_set_info_function</c>: where libjack
    /// prints (stderr by default). Process-wide.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_set_error_function")]
    internal static partial void jack_set_error_function(delegate* unmanaged<byte*, void> callback);

    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_set_info_function")]
    internal static partial void jack_set_info_function(delegate* unmanaged<byte*, void> callback);

    /// <summary><c>uint32_t jack_midi_get_event_count(void* port_buffer)</c> (jack/midiport.h).</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_midi_get_event_count")]
    [SuppressGCTransition]
    internal static partial uint jack_midi_get_event_count(void* port_buffer);

    /// <summary><c>int jack_midi_event_get(jack_midi_event_t* event, void* port_buffer, uint32_t event_index)</c>: 0 or ENODATA.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_midi_event_get")]
    [SuppressGCTransition]
    internal static partial int jack_midi_event_get(jack_midi_event_t* @event, void* port_buffer, uint event_index);

    /// <summary>
    /// <c>int jack_midi_event_write(void* port_buffer, jack_nframes_t time, const jack_midi_data_t* data, size_t size)</c>:
    /// queues an event at frame <c>time</c> of this cycle (events in time order). 0 on success.
    /// </summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_midi_event_write")]
    [SuppressGCTransition] // a copy into the port's buffer, on the process thread
    internal static partial int jack_midi_event_write(void* port_buffer, uint time, byte* data, nuint size);

    /// <summary><c>jack_nframes_t jack_last_frame_time(const jack_client_t*)</c>: the server's frame count at the start of this cycle.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_last_frame_time")]
    internal static partial uint jack_last_frame_time(nint client);

    /// <summary><c>void jack_midi_clear_buffer(void* port_buffer)</c>: for output MIDI ports, once per cycle.</summary>
    [LibraryImport(JackLibrary.Name, EntryPoint = "jack_midi_clear_buffer")]
    [SuppressGCTransition]
    internal static partial void jack_midi_clear_buffer(void* port_buffer);

    /// <summary>A JACK-owned C string as a .NET string (allocates: control threads only).</summary>
    internal static string? Utf8(byte* text) =>
        text is null ? null : Marshal.PtrToStringUTF8((nint)text);
}

/// <summary>
/// <c>jack_midi_event_t</c> (jack/midiport.h): <c>{ jack_nframes_t time; size_t size; jack_midi_data_t* buffer; }</c>
/// — <c>uint32_t</c>, then 4 bytes of padding, <c>size_t</c> → <c>nuint</c>, <c>unsigned char*</c> → <c>byte*</c>:
/// 24 bytes on 64-bit.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct jack_midi_event_t
{
    /// <summary>Frame offset of the event within the current period.</summary>
    public uint time;
    public nuint size;
    /// <summary>Raw MIDI bytes, valid for this process cycle only.</summary>
    public byte* buffer;
}

/// <summary><c>typedef struct { jack_nframes_t min; jack_nframes_t max; } jack_latency_range_t</c>.</summary>
internal struct JackLatencyRange
{
    public uint Min;
    public uint Max;
}
