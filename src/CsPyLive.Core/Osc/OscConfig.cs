using System.Net;
using CsPyLive.Config;

namespace CsPyLive.Osc;

/// <summary>The <c>osc:</c> section of patch.yaml. Command-line options override the ports and the bind address.</summary>
public sealed class OscConfig
{
    /// <summary>UDP port to listen on (<c>--osc-port</c>).</summary>
    public int? Port { get; set; }

    /// <summary>TCP port for SLIP-framed OSC (<c>--osc-tcp-port</c>).</summary>
    public int? TcpPort { get; set; }

    /// <summary>Address to bind; 127.0.0.1 unless set (<c>--osc-bind</c>).</summary>
    public string? Bind { get; set; }

    /// <summary>Source addresses accepted; required when bound to a non-loopback address.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>UDP port on the sender's host that feedback goes to; the sender's own port when unset.</summary>
    public int? FeedbackPort { get; set; }

    /// <summary>Enables <c>/py/exec "code"</c>: Python code from the network runs only when a patch says so.</summary>
    public bool AllowPythonCode { get; set; }

    /// <summary>The built-in addresses (<c>/py/NAME</c>, <c>/chn/NAME</c>, <c>/event</c>, <c>/event/i</c>, <c>/panic</c>).</summary>
    public bool BuiltinRoutes { get; set; } = true;

    /// <summary>Instruments a panic leaves alone: the old place of <c>panic.keep</c>, still accepted.</summary>
    public List<double> PanicKeep { get; set; } = [];

    public List<OscRouteConfig> Routes { get; set; } = [];

    /// <summary>The section's keys.</summary>
    public static readonly YamlSchema<OscConfig> Yaml = new YamlSchema<OscConfig>()
        .Key("port", (c, v) => { c.Port = v.OptionalInt(); return c; })
        .Key("tcp_port", (c, v) => { c.TcpPort = v.OptionalInt(); return c; })
        .Key("bind", (c, v) => { c.Bind = v.OptionalString(); return c; })
        .Key("allow", (c, v) => { c.Allow = v.List(a => a.String()); return c; })
        .Key("feedback_port", (c, v) => { c.FeedbackPort = v.OptionalInt(); return c; })
        .Key("allow_python_code", (c, v) => { c.AllowPythonCode = v.Bool(); return c; })
        .Key("builtin_routes", (c, v) => { c.BuiltinRoutes = v.Bool(); return c; })
        .Key("panic_keep", (c, v) => { c.PanicKeep = v.List(i => i.Double()); return c; })
        .Key("routes", (c, v) => { c.Routes = v.List(r => r.Record(OscRouteConfig.Yaml)); return c; });

    /// <summary>Throws <see cref="ConfigException"/> naming the key of the first setting or route that is not usable.</summary>
    public void Validate()
    {
        CheckPort("osc.port", Port, min: 0);
        CheckPort("osc.tcp_port", TcpPort, min: 0);
        CheckPort("osc.feedback_port", FeedbackPort, min: 1);
        if (Bind is not null) ParseAddress("osc.bind", Bind);
        foreach (var a in Allow) ParseAddress("osc.allow", a);
        for (var i = 0; i < Routes.Count; i++)
        {
            try
            {
                Routes[i].Validate();
            }
            catch (FormatException e)
            {
                throw new ConfigException($"osc.routes[{i}]", e.Message, inner: e);
            }
        }
    }

    /// <summary>A port number 0 (any free port) or <paramref name="min"/>..65535; throws <see cref="ConfigException"/> naming <paramref name="key"/>.</summary>
    public static void CheckPort(string key, int? port, int min)
    {
        if (port is { } p && (p < min || p > 65535)) throw new ConfigException(key, $"{p} is not a port number ({min}..65535)");
    }

    /// <summary>An IPv4 or IPv6 address; throws <see cref="ConfigException"/> naming <paramref name="key"/>.</summary>
    public static IPAddress ParseAddress(string key, string text) =>
        IPAddress.TryParse(text.Trim(), out var address) ? address : throw new ConfigException(key, $"'{text}' is not an IP address (e.g. 127.0.0.1)");
}

/// <summary>One route: an address (or address pattern) and exactly one target.</summary>
public sealed class OscRouteConfig
{
    public string Address { get; set; } = "";

    /// <summary>A Python global in <c>__main__</c>, assigned at the next k-boundary.</summary>
    public string? Python { get; set; }

    /// <summary>A control channel.</summary>
    public string? Channel { get; set; }

    /// <summary>A score event template: <c>"i 2 0 0.5 $1 $2"</c>; <c>$1</c> is the first argument, scaled.</summary>
    public string? Event { get; set; }

    /// <summary>A value channel plus a trigger channel that is 1 for exactly one k-cycle (for <c>pyassignt</c>).</summary>
    public OscTriggerConfig? Trigger { get; set; }

    /// <summary><c>[in_lo, in_hi, out_lo, out_hi]</c>: maps the first argument, clamped to the input range.</summary>
    public List<double>? Scale { get; set; }

    /// <summary><c>lin</c> or <c>exp</c> (equal ratios, for frequencies; out_lo and out_hi of one sign, not 0).</summary>
    public string Curve { get; set; } = "lin";

    /// <summary>Ignore messages whose value is 0 (a button's release). Default: true for event routes, false otherwise.</summary>
    public bool? SkipZero { get; set; }

    /// <summary>Sends the (clamped, unscaled) value back to the controller on the same address.</summary>
    public bool Feedback { get; set; }

    /// <summary><c>quantize: beat|bar|&lt;beats&gt;</c>: the route's action lands on the next such boundary of the beat clock.</summary>
    public string? Quantize { get; set; }

    public static readonly YamlSchema<OscRouteConfig> Yaml = new YamlSchema<OscRouteConfig>()
        .Key("address", (c, v) => { c.Address = v.String(); return c; })
        .Key("python", (c, v) => { c.Python = v.OptionalString(); return c; })
        .Key("channel", (c, v) => { c.Channel = v.OptionalString(); return c; })
        .Key("event", (c, v) => { c.Event = v.OptionalString(); return c; })
        .Key("trigger", (c, v) => { c.Trigger = v.OptionalRecord(OscTriggerConfig.Yaml); return c; })
        .Key("scale", (c, v) => { c.Scale = v.OptionalList(x => x.Double()); return c; })
        .Key("curve", (c, v) => { c.Curve = v.String(); return c; })
        .Key("skip_zero", (c, v) => { c.SkipZero = v.OptionalBool(); return c; })
        .Key("feedback", (c, v) => { c.Feedback = v.Bool(); return c; })
        .Key("quantize", (c, v) => { c.Quantize = v.OptionalString(); return c; });

    public void Validate()
    {
        if (!Address.StartsWith('/')) throw new FormatException($"route '{Address}': the address must start with '/'");
        var targets = (Python is null ? 0 : 1) + (Channel is null ? 0 : 1) + (Event is null ? 0 : 1) + (Trigger is null ? 0 : 1);
        if (targets != 1) throw new FormatException($"route {Address}: give exactly one of python, channel, event, trigger");
        if (Scale is not null && Scale.Count != 4) throw new FormatException($"route {Address}: scale is [in_lo, in_hi, out_lo, out_hi]");
        if (Scale is not null && Scale.Any(v => !double.IsFinite(v))) throw new FormatException($"route {Address}: scale takes numbers, not .nan or .inf");
        if (Curve is not ("lin" or "exp")) throw new FormatException($"route {Address}: curve is lin or exp");
        if (Curve == "exp" && (Scale is null || Scale[2] * Scale[3] <= 0))
            throw new FormatException($"route {Address}: an exp curve needs a scale whose outputs have one sign and are not 0");
        if (Python is not null && !OscNames.IsPythonName(System.Text.Encoding.UTF8.GetBytes(Python)))
            throw new FormatException($"route {Address}: '{Python}' is not a Python identifier (or starts with __)");
        if (Event is not null) EventTemplate.Parse(Event);
        if (Quantize is not null) Sync.Quantization.Parse(Quantize);
        if (Trigger is not null && (Trigger.Value == "" || Trigger.Trigger == ""))
            throw new FormatException($"route {Address}: trigger needs value and trigger channel names");
    }
}

public sealed class OscTriggerConfig
{
    public string Value { get; set; } = "";
    public string Trigger { get; set; } = "";

    public static readonly YamlSchema<OscTriggerConfig> Yaml = new YamlSchema<OscTriggerConfig>()
        .Key("value", (c, v) => { c.Value = v.String(); return c; })
        .Key("trigger", (c, v) => { c.Trigger = v.String(); return c; });
}
