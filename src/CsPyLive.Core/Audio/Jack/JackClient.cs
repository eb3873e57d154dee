using System.Runtime.InteropServices;
using CsPyLive.Audio.Jack.Interop;
using static CsPyLive.Audio.Jack.Interop.Jack;

namespace CsPyLive.Audio.Jack;

/// <summary>A running JACK server, as a probe saw it: its name, rate, period, and physical ports by direction.</summary>
public sealed record JackServerInfo(string Server, int SampleRate, int PeriodFrames, IReadOnlyList<string> Playback,
    IReadOnlyList<string> Capture, IReadOnlyList<string> MidiSources);

/// <summary>The native callbacks one client registers, all <c>[UnmanagedCallersOnly]</c> statics taking a GCHandle.</summary>
internal readonly unsafe struct JackCallbacks
{
    public required delegate* unmanaged<uint, nint, int> Process { get; init; }
    public required delegate* unmanaged<nint, int> Xrun { get; init; }
    public required delegate* unmanaged<uint, nint, int> BufferSize { get; init; }
    public required delegate* unmanaged<int, byte*, nint, void> Shutdown { get; init; }
    public required nint Arg { get; init; }
}

/// <summary>
/// One open connection to a JACK server: the client handle, its registered ports, its callbacks. A server restart
/// means a new <see cref="JackClient"/>. Control threads only; <see cref="Dispose"/> returns once no callback is in
/// flight (jack_client_close waits for it).
/// </summary>
internal sealed unsafe class JackClient : IDisposable
{
    private nint handle;

    private JackClient(nint handle, int outputs, int inputs)
    {
        this.handle = handle;
        Name = Utf8(jack_get_client_name(handle)) ?? "?";
        SampleRate = (int)jack_get_sample_rate(handle);
        BufferSize = (int)jack_get_buffer_size(handle);
        OutputPorts = new nint[outputs];
        InputPorts = new nint[inputs];
    }

    public string Name { get; }
    public int SampleRate { get; }
    public int BufferSize { get; }
    public nint[] OutputPorts { get; }
    public nint[] InputPorts { get; }
    /// <summary>The MIDI input port <c>midi_in</c>, or 0 when none was asked for.</summary>
    public nint MidiInputPort { get; private set; }
    /// <summary>The MIDI output port <c>midi_out</c>, or 0 when none was asked for.</summary>
    public nint MidiOutputPort { get; private set; }

    /// <summary>
    /// Set from JACK's notification thread when the server shut down: the client is dead, nothing waits for its
    /// callbacks any more, and it must not be deactivated, only closed (see <see cref="Dispose"/>).
    /// </summary>
    public bool ServerGone => serverGone;

    private volatile bool serverGone;

    public void MarkServerGone() => serverGone = true;

    /// <summary>How many ports feed <c>midi_in</c>; -1 with no such port or no server. Any thread but the callback.</summary>
    public int MidiInputSources => MidiInputPort == 0 || serverGone ? -1 : jack_port_connected(MidiInputPort);

    /// <summary>
    /// The longest playback latency of the output ports (frames to the speaker, as JACK computed it from the
    /// connections); 0 when they go nowhere or the server is gone. Any thread but the callback.
    /// </summary>
    public unsafe int OutputLatencyFrames
    {
        get
        {
            if (serverGone) return 0;
            var most = 0u;
            foreach (var port in OutputPorts)
            {
                JackLatencyRange range;
                jack_port_get_latency_range(port, JackPlaybackLatency, &range);
                most = Math.Max(most, range.Max);
            }
            return (int)Math.Min(most, int.MaxValue);
        }
    }

    /// <summary>Registers the MIDI input port <c>midi_in</c> (once). Control thread, before activation.</summary>
    public void RegisterMidiInput()
    {
        if (MidiInputPort == 0) MidiInputPort = Register(handle, "midi_in", JackPortIsInput, JACK_DEFAULT_MIDI_TYPE);
    }

    /// <summary>Registers the MIDI output port <c>midi_out</c> (once). Control thread, before activation.</summary>
    public void RegisterMidiOutput()
    {
        if (MidiOutputPort == 0) MidiOutputPort = Register(handle, "midi_out", JackPortIsOutput, JACK_DEFAULT_MIDI_TYPE);
    }

    static JackClient()
    {
        // libjack prints every failed attempt to reach a server ("Cannot connect to server socket...") to stderr;
        // while a lost server is looked for every 500 ms that is noise. We report decoded statuses ourselves.
        jack_set_error_function(&DropMessage);
        jack_set_info_function(&DropMessage);
    }

    [UnmanagedCallersOnly]
    private static void DropMessage(byte* text) { }

    /// <summary>
    /// Opens a client on the running server (never starts one), registers out_1..out_N and in_1..in_M, and
    /// installs <paramref name="callbacks"/>; not yet active. Throws <see cref="JackServerUnavailableException"/>
    /// when no server answers, <see cref="JackException"/> for anything else.
    /// </summary>
    public static JackClient Open(string name, int outputs, int inputs, in JackCallbacks callbacks, bool midiInput, bool midiOutput = false)
    {
        int status;
        var h = jack_client_open(name, JackNoStartServer, &status);
        if (h == 0)
        {
            var server = Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER") ?? "default";
            if ((status & (JackServerFailed | JackServerError)) != 0)
                throw new JackServerUnavailableException(
                    $"no JACK server is running (server '{server}'; status {Describe(status)}). Start one " +
                    "(e.g. `jackd -d alsa`, or qjackctl), or play with --audio null.");
            throw new JackException($"JACK refused the client '{name}' on server '{server}': {Describe(status)}");
        }
        var client = new JackClient(h, outputs, inputs);
        try
        {
            for (var i = 0; i < outputs; i++)
                client.OutputPorts[i] = Register(h, $"out_{i + 1}", JackPortIsOutput);
            for (var i = 0; i < inputs; i++)
                client.InputPorts[i] = Register(h, $"in_{i + 1}", JackPortIsInput);
            if (midiInput) client.RegisterMidiInput();
            if (midiOutput) client.RegisterMidiOutput();
            if (jack_set_process_callback(h, callbacks.Process, callbacks.Arg) != 0
                || jack_set_xrun_callback(h, callbacks.Xrun, callbacks.Arg) != 0
                || jack_set_buffer_size_callback(h, callbacks.BufferSize, callbacks.Arg) != 0)
                throw new JackException("JACK refused our callbacks");
            jack_on_info_shutdown(h, callbacks.Shutdown, callbacks.Arg);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a running server offers, read through a short-lived client with no ports: its rate, period and physical
    /// ports; null when no server answers. For listing devices; control thread.
    /// </summary>
    public static JackServerInfo? Probe(string name)
    {
        int status;
        var h = jack_client_open(name, JackNoStartServer, &status);
        if (h == 0) return null;
        var probe = new JackClient(h, 0, 0);
        try
        {
            return new JackServerInfo(Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER") ?? "default", probe.SampleRate, probe.BufferSize,
                probe.PhysicalPorts(JackPortIsInput), probe.PhysicalPorts(JackPortIsOutput),
                probe.PhysicalPorts(JackPortIsOutput, JACK_DEFAULT_MIDI_TYPE));
        }
        finally
        {
            probe.Dispose();
        }
    }

    private static nint Register(nint client, string port, uint direction, string type = JACK_DEFAULT_AUDIO_TYPE)
    {
        var p = jack_port_register(client, port, type, new CULong(direction | JackPortIsTerminal), new CULong(0));
        return p != 0 ? p : throw new JackException($"JACK refused to register the port '{port}'");
    }

    public void Activate()
    {
        if (jack_activate(handle) != 0) throw new JackException("JACK refused to activate the client");
    }

    /// <summary>
    /// Connects out_N to the Nth physical playback port (a mono orchestra to the first two), the Nth physical
    /// capture port to in_N, and every physical MIDI source to midi_in. Returns the connections made, "from -> to".
    /// </summary>
    public List<string> ConnectToPhysicalPorts()
    {
        var made = new List<string>();
        var playback = PhysicalPorts(JackPortIsInput);
        for (var i = 0; i < playback.Count; i++)
        {
            if (OutputPorts.Length == 0) break;
            if (i >= OutputPorts.Length && !(OutputPorts.Length == 1 && i == 1)) break;
            Connect(PortName(OutputPorts[Math.Min(i, OutputPorts.Length - 1)]), playback[i], made);
        }
        var capture = PhysicalPorts(JackPortIsOutput);
        for (var i = 0; i < Math.Min(capture.Count, InputPorts.Length); i++)
            Connect(capture[i], PortName(InputPorts[i]), made);
        if (MidiInputPort != 0) // every hardware MIDI source (keyboards appear here with jackd -X seq/raw or a2jmidid)
            foreach (var source in PhysicalPorts(JackPortIsOutput, JACK_DEFAULT_MIDI_TYPE))
                Connect(source, PortName(MidiInputPort), made);
        return made;
    }

    private void Connect(string from, string to, List<string> made)
    {
        var r = jack_connect(handle, from, to);
        if (r == 0 || r == 17 /* EEXIST */) made.Add($"{from} -> {to}");
    }

    private List<string> PhysicalPorts(uint direction, string type = JACK_DEFAULT_AUDIO_TYPE)
    {
        var names = new List<string>();
        var ports = jack_get_ports(handle, null, type, new CULong(JackPortIsPhysical | direction));
        if (ports is null) return names;
        for (var p = ports; *p is not null; p++) names.Add(Utf8(*p)!);
        jack_free(ports);
        return names;
    }

    public static string PortName(nint port) => Utf8(jack_port_name(port)) ?? "?";

    /// <summary>Decodes a jack_status_t into its flag names.</summary>
    public static string Describe(int status)
    {
        (int Bit, string Name)[] bits =
        [
            (JackFailure, "JackFailure"), (JackInvalidOption, "JackInvalidOption"), (JackNameNotUnique, "JackNameNotUnique"),
            (JackServerStarted, "JackServerStarted"), (JackServerFailed, "JackServerFailed"), (JackServerError, "JackServerError"),
            (JackNoSuchClient, "JackNoSuchClient"), (JackLoadFailure, "JackLoadFailure"), (JackInitFailure, "JackInitFailure"),
            (JackShmFailure, "JackShmFailure"), (JackVersionError, "JackVersionError"), (JackBackendError, "JackBackendError"),
            (JackClientZombie, "JackClientZombie"),
        ];
        var names = bits.Where(b => (status & b.Bit) != 0).Select(b => b.Name).ToArray();
        return names.Length == 0 ? $"0x{status:x}" : string.Join('|', names);
    }

    /// <summary>
    /// Stops the callbacks. With a running server it returns once the process callback in flight has finished, and
    /// no callback comes after it. After a server shutdown nothing waits: see <see cref="Dispose"/>.
    /// </summary>
    public void Deactivate() => jack_deactivate(handle);

    /// <summary>
    /// Deactivates and closes (also valid after the server shut down). libjack stops the client's threads with
    /// asynchronous cancellation, so no thread may be running our code when this is called: with a running server,
    /// <see cref="Deactivate"/> first; after a shutdown, wait until the callbacks have returned
    /// (<see cref="JackAudioBackend"/> does both).
    /// </summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, 0);
        if (h != 0) jack_client_close(h);
    }
}
