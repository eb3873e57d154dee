using System.CommandLine;
using System.Net;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Osc;

namespace CsPyLive.Cli;

/// <summary><c>play</c>'s OSC options, and starting OSC from them and the patch's <c>osc:</c> section.</summary>
internal sealed class OscCommandLine
{
    private readonly Option<int?> port = new("--osc-port") { Description = "receive OSC over UDP on this port (default: patch.yaml's osc.port; none: no OSC)" };
    private readonly Option<int?> tcpPort = new("--osc-tcp-port") { Description = "receive SLIP-framed OSC over TCP on this port" };
    private readonly Option<string?> bind = new("--osc-bind") { Description = "address to listen on (default 127.0.0.1; another needs --osc-allow)" };
    private readonly Option<string?> allow = new("--osc-allow") { Description = "comma-separated source addresses accepted" };
    private readonly Option<int?> feedbackPort = new("--osc-feedback-port") { Description = "send feedback to this port on the sender's host (default: the sender's port)" };

    public static OscCommandLine Create() => new();

    public IEnumerable<Option> Options => [port, tcpPort, bind, allow, feedbackPort];

    /// <summary>The options as given (patch.yaml fills the gaps later); null, with a message printed, if invalid.</summary>
    public OscOptions? Parse(ParseResult r)
    {
        try
        {
            return new OscOptions
            {
                UdpPort = r.GetValue(port),
                TcpPort = r.GetValue(tcpPort),
                Bind = r.GetValue(bind) is { } b ? IPAddress.Parse(b) : null,
                Allow = r.GetValue(allow) is { } a ? a.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse).ToArray() : [],
                FeedbackPort = r.GetValue(feedbackPort),
            };
        }
        catch (FormatException e)
        {
            ConsoleLog.Fail($"--osc-bind/--osc-allow: {e.Message}");
            return null;
        }
    }

    /// <summary>Starts OSC when a port is given (command line or patch.yaml); null otherwise. Throws for a bad setup.</summary>
    public static OscService? Start(Engine engine, PatchSource patch, OscOptions given)
    {
        var config = PatchConfig.Load(patch.Directory).Osc ?? new OscConfig();
        var options = new OscOptions
        {
            UdpPort = given.UdpPort ?? config.Port,
            TcpPort = given.TcpPort ?? config.TcpPort,
            Bind = given.Bind ?? (config.Bind is { } b ? IPAddress.Parse(b) : IPAddress.Loopback),
            Allow = given.Allow.Count > 0 ? given.Allow : config.Allow.Select(IPAddress.Parse).ToArray(),
            FeedbackPort = given.FeedbackPort ?? config.FeedbackPort,
        };
        if (options.UdpPort is null && options.TcpPort is null) return null;
        try
        {
            var service = OscService.Start(engine, config, options, ConsoleLog.Print, File.ReadAllText(patch.CsdPath));
            Console.Error.WriteLine($"cspylive: OSC on {string.Join(", ", new[] { service.Udp is { } u ? $"udp {u.LocalEndPoint}" : null, service.Tcp is { } t ? $"tcp {t.LocalEndPoint} (SLIP)" : null }.OfType<string>())}" +
                $"{(config.Routes.Count > 0 ? $", {config.Routes.Count} route(s) from patch.yaml" : "")}{(config.AllowPythonCode ? ", /py/exec enabled" : "")}");
            return service;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Net.Sockets.SocketException)
        {
            throw new IOException($"OSC: {e.Message}", e);
        }
    }
}
