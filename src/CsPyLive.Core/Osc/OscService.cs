using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CsPyLive.Csound;

namespace CsPyLive.Osc;

/// <summary>Where OSC listens: from the command line, over patch.yaml's <c>osc:</c> section.</summary>
public sealed record OscOptions
{
    public int? UdpPort { get; init; }
    public int? TcpPort { get; init; }
    /// <summary>127.0.0.1 when null.</summary>
    public IPAddress? Bind { get; init; }
    public IReadOnlyList<IPAddress> Allow { get; init; } = [];
    public int? FeedbackPort { get; init; }
}

/// <summary>
/// OSC input of a live run, put together: the dispatcher, its k-boundary actions, Python's side, and the UDP and TCP
/// servers. Control thread: <see cref="Start"/>, then <see cref="Tick"/> often (it logs what went wrong, at most once
/// a second), then Dispose once the audio has stopped.
/// </summary>
public sealed partial class OscService : IDisposable
{
    private readonly Action<MessageKind, string> log;
    private readonly OscPython? python;
    private long lastReportAt;
    private OscCounters reported;

    private OscService(OscDispatcher dispatcher, OscPython? python, OscUdpServer? udp, OscTcpServer? tcp, Action<MessageKind, string> log)
    {
        Dispatcher = dispatcher;
        this.python = python;
        Udp = udp;
        Tcp = tcp;
        this.log = log;
    }

    public OscDispatcher Dispatcher { get; }
    public OscUdpServer? Udp { get; }
    public OscTcpServer? Tcp { get; }

    /// <summary>Messages received (decoded) so far.</summary>
    public long Received => Dispatcher.Stats.Messages;

    /// <summary>Messages that changed nothing: malformed packets, queue or pool full, refused sources, rejected values.</summary>
    public long Dropped
    {
        get
        {
            var s = Dispatcher.Stats;
            return s.Malformed + s.Dropped + s.Rejected + (Udp?.Refused ?? 0);
        }
    }

    /// <summary>
    /// Creates the dispatcher for <paramref name="engine"/> (started) and listens where <paramref name="options"/> say.
    /// Throws <see cref="ArgumentException"/> for an unsafe or invalid setup, <see cref="System.Net.Sockets.SocketException"/>
    /// when a port is taken.
    /// </summary>
    public static OscService Start(Engine engine, OscConfig config, OscOptions options, Action<MessageKind, string> log, string? csdText = null)
    {
        var bind = options.Bind ?? IPAddress.Loopback;
        if (!IPAddress.IsLoopback(bind) && options.Allow.Count == 0)
            throw new ArgumentException($"OSC bound to {bind}, a non-loopback address, needs an allowlist (--osc-allow or osc.allow)");
        var python = CreatePython(engine, config, log);
        var actions = new OscActions(engine, python, PanicInstruments(csdText, config.PanicKeep));
        var dispatcher = new OscDispatcher(engine, actions, python, config);
        var allow = new SourceAllowlist(options.Allow);
        var udp = options.UdpPort is { } u ? new OscUdpServer(new IPEndPoint(bind, u), allow, options.FeedbackPort, dispatcher) : null;
        var tcp = options.TcpPort is { } t ? new OscTcpServer(new IPEndPoint(bind, t), allow, dispatcher) : null;
        return new OscService(dispatcher, python, udp, tcp, log);
    }

    /// <summary>For tests and benchmarks: a dispatcher with no sockets.</summary>
    public static OscService CreateWithoutServers(Engine engine, OscConfig config, Action<MessageKind, string> log, double[]? panicInstruments = null)
    {
        var python = CreatePython(engine, config, log);
        var actions = new OscActions(engine, python, panicInstruments ?? []);
        return new OscService(new OscDispatcher(engine, actions, python, config), python, null, null, log);
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
            if (config.Routes.Any(r => r.Python is not null)) throw;
            log(MessageKind.Warning, $"osc: Python is not available ({e.Message}); /py/ addresses are refused");
            return null;
        }
    }

    /// <summary>Every instrument number the orchestra defines (instr 1, 2, 10...), less those to keep.</summary>
    internal static double[] PanicInstruments(string? csdText, IReadOnlyList<double> keep)
    {
        if (csdText is null) return [];
        var numbers = new SortedSet<double>();
        foreach (Match m in InstrLine().Matches(csdText))
            foreach (var part in m.Groups[1].Value.Split(','))
                if (double.TryParse(part.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var n) && !keep.Contains(n))
                    numbers.Add(n);
        return numbers.ToArray();
    }

    [GeneratedRegex(@"^\s*instr\s+([0-9][0-9,\s]*)", RegexOptions.Multiline)]
    private static partial Regex InstrLine();

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
