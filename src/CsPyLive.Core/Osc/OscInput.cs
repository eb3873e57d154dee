using System.Diagnostics;
using System.Net;
using CsPyLive.Audio;
using CsPyLive.Csound;
using CsPyLive.Inputs;

namespace CsPyLive.Osc;

/// <summary>Where OSC listens: resolved from the command line over patch.yaml's <c>osc:</c> section.</summary>
public sealed record OscOptions
{
    public int? UdpPort { get; init; }
    public int? TcpPort { get; init; }
    public IPAddress Bind { get; init; } = IPAddress.Loopback;
    public IReadOnlyList<IPAddress> Allow { get; init; } = [];
    public int? FeedbackPort { get; init; }
}

/// <summary>
/// OSC input of a show, put together: the dispatcher, its k-boundary actions, Python's side, and the UDP and TCP
/// servers. Control thread: construct, <see cref="Attach"/> (binds the sockets), then <see cref="Tick"/> often (it
/// logs what went wrong, at most once a second), then Dispose once the audio has stopped.
/// </summary>
public sealed class OscInput : IShowInput
{
    private readonly Action<MessageKind, string> log;
    private readonly OscPython? python;

    /// <summary>The Python side (null when the orchestra has no Python): the show log records its assignments.</summary>
    internal OscPython? PythonSide => python;
    private readonly OscConfig config;
    private readonly OscOptions? listen;
    private long lastReportAt;
    private OscCounters reported;

    /// <summary>
    /// OSC for <paramref name="engine"/> (started), listening where <paramref name="listen"/> says once attached (null:
    /// no sockets, for tests and benchmarks that hand packets to <see cref="Dispatcher"/> themselves). Throws
    /// <see cref="InputUnavailableException"/> when a route needs Python and none can be loaded.
    /// </summary>
    public OscInput(Engine engine, ActionSink sink, OscConfig config, OscOptions? listen, IShowPanic panic, Action<MessageKind, string> log,
        Sync.BeatClock? clock = null)
    {
        this.config = config;
        this.listen = listen;
        this.log = log;
        python = CreatePython(engine, config, log);
        Dispatcher = new OscDispatcher(sink, new OscActions(engine, python), python, config, panic, clock);
    }

    public OscDispatcher Dispatcher { get; }
    public OscUdpServer? Udp { get; private set; }
    public OscTcpServer? Tcp { get; private set; }

    /// <summary>Messages received (decoded) so far.</summary>
    public long Received => Dispatcher.Stats.Messages;

    /// <summary>Messages that changed nothing: malformed packets, queue or pool full, refused sources, rejected values, and
    /// any our own routing failed on (internal errors).</summary>
    public long Dropped
    {
        get
        {
            var s = Dispatcher.Stats;
            return s.Malformed + s.Dropped + s.Rejected + s.NonFinite + s.TooLarge + s.InternalErrors + (Udp?.Refused ?? 0);
        }
    }

    /// <summary>
    /// Binds the sockets. Throws <see cref="InputUnavailableException"/> for an unsafe setup (a non-loopback address
    /// with no allowlist) or a port that is taken.
    /// </summary>
    public void Attach(IAudioBackend backend)
    {
        if (listen is null) return;
        if (!IPAddress.IsLoopback(listen.Bind) && listen.Allow.Count == 0)
            throw new InputUnavailableException($"OSC: OSC bound to {listen.Bind}, a non-loopback address, needs an allowlist (--osc-allow or osc.allow)");
        try
        {
            var allow = new SourceAllowlist(listen.Allow);
            if (listen.UdpPort is { } u) Udp = new OscUdpServer(new IPEndPoint(listen.Bind, u), allow, listen.FeedbackPort, Dispatcher);
            if (listen.TcpPort is { } t) Tcp = new OscTcpServer(new IPEndPoint(listen.Bind, t), allow, Dispatcher);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new InputUnavailableException($"OSC: {e.Message}", e);
        }
    }

    public InputReport Describe()
    {
        var where = string.Join(", ", new[] { Udp is { } u ? $"udp {u.LocalEndPoint}" : null, Tcp is { } t ? $"tcp {t.LocalEndPoint} (SLIP)" : null }.OfType<string>());
        var description = $"OSC on {(where.Length == 0 ? "no socket" : where)}" +
            (config.Routes.Count > 0 ? $", {config.Routes.Count} route(s) from patch.yaml" : "") +
            (config.AllowPythonCode ? ", /py/exec enabled" : "");
        return new InputReport(InputKind.Osc, description, Received, Dropped);
    }

    private static OscPython? CreatePython(Engine engine, OscConfig config, Action<MessageKind, string> log)
    {
        var needed = config.BuiltinRoutes || config.Routes.Any(r => r.Python is not null);
        if (!needed) return null;
        try
        {
            return new OscPython(engine.Messages);
        }
        catch (Exception e) when (e is DllNotFoundException or Python.PythonException)
        {
            if (config.Routes.Any(r => r.Python is not null))
                throw new InputUnavailableException($"OSC: a route in patch.yaml assigns a Python global, but Python is not available ({e.Message})", e);
            log(MessageKind.Warning, $"osc: Python is not available ({e.Message}); /py/ addresses are refused");
            return null;
        }
    }

    /// <summary>OSC holds no notes: a panic or a restart leaves nothing here to forget.</summary>
    public void ForgetHeld() { }

    /// <summary>Control thread: logs malformed packets, unknown addresses and drops, at most once a second.</summary>
    public void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - lastReportAt < Stopwatch.Frequency) return;
        lastReportAt = now;
        var s = Dispatcher.Stats;
        if (s.Malformed > reported.Malformed)
            log(MessageKind.Warning, $"osc: {s.Malformed - reported.Malformed} malformed packet(s) ignored (last: {s.LastError})");
        if (s.Unrouted > reported.Unrouted)
            log(MessageKind.Warning, $"osc: {s.Unrouted - reported.Unrouted} message(s) to addresses nothing listens on (last: {Dispatcher.LastUnrouted})");
        if (s.Rejected > reported.Rejected)
            log(MessageKind.Warning, $"osc: {s.Rejected - reported.Rejected} message(s) refused (wrong arguments, a name that is not allowed, or /py/exec without allow_python_code)");
        if (s.NonFinite > reported.NonFinite)
            log(MessageKind.Warning, $"osc: {s.NonFinite - reported.NonFinite} message(s) with NaN or infinity refused: they never reach Csound or Python (last: {Dispatcher.LastNonFinite})");
        if (s.TooLarge > reported.TooLarge)
            log(MessageKind.Warning, $"osc: {s.TooLarge - reported.TooLarge} message(s) refused for their size: a /py string holds at most {OscPython.StringSlotBytes} bytes, " +
                $"an /event table at most {OscDispatcher.MaxOscTablePoints} points (Csound would build it on the audio thread; make big tables in the orchestra)");
        if (s.Dropped > reported.Dropped)
            log(MessageKind.Warning, $"osc: {s.Dropped - reported.Dropped} message(s) dropped: the engine's queue was full");
        if (s.InternalErrors > reported.InternalErrors)
            log(MessageKind.Error, $"osc: {s.InternalErrors - reported.InternalErrors} internal error(s) while routing");
        reported = s;
    }

    public void Dispose()
    {
        Udp?.Dispose();
        Tcp?.Dispose();
        Tick();
        python?.Dispose();
    }
}
