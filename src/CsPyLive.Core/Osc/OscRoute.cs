using System.Text;

namespace CsPyLive.Osc;

internal enum OscRouteKind : byte { Python, Channel, Event, Trigger }

/// <summary>A route of patch.yaml, resolved at load: names interned, channels looked up, the template parsed.</summary>
internal sealed class OscRoute
{
    public required byte[] Address { get; init; }
    public required OscRouteKind Kind { get; init; }
    /// <summary>Python name index, channel slot, or trigger channel slot.</summary>
    public int Target { get; init; }
    /// <summary>The value channel of a trigger route.</summary>
    public int ValueSlot { get; init; }
    public EventTemplate? Event { get; init; }
    public ValueScale? Scale { get; init; }
    public bool Feedback { get; init; }
    /// <summary>Ignore messages whose value is 0 (a button's release); on by default for event routes.</summary>
    public bool SkipZero { get; init; }
    public Sync.Quantization Quantize { get; init; }

    public bool IsPattern { get; init; }

    public static OscRoute Create(OscRouteConfig c, OscPython? python, Func<string, int> channelSlot)
    {
        var kind = c.Python is not null ? OscRouteKind.Python
            : c.Channel is not null ? OscRouteKind.Channel
            : c.Event is not null ? OscRouteKind.Event
            : OscRouteKind.Trigger;
        var address = Encoding.UTF8.GetBytes(c.Address);
        var target = kind switch
        {
            OscRouteKind.Python => python?.NameIndex(Encoding.UTF8.GetBytes(c.Python!))
                ?? throw new InvalidOperationException($"route {c.Address}: Python is not available"),
            OscRouteKind.Channel => channelSlot(c.Channel!),
            OscRouteKind.Trigger => channelSlot(c.Trigger!.Trigger),
            _ => 0,
        };
        return new OscRoute
        {
            Address = address,
            IsPattern = OscPattern.IsPattern(address),
            Kind = kind,
            Target = target,
            ValueSlot = kind == OscRouteKind.Trigger ? channelSlot(c.Trigger!.Value) : 0,
            Event = c.Event is null ? null : EventTemplate.Parse(c.Event),
            Scale = ValueScale.From(c),
            Feedback = c.Feedback,
            SkipZero = c.SkipZero ?? kind == OscRouteKind.Event,
            Quantize = c.Quantize is null ? Sync.Quantization.None : Sync.Quantization.Parse(c.Quantize),
        };
    }

    /// <summary>The route's address may be a pattern (matched against the message's address), or the message's may be.</summary>
    public bool Matches(ReadOnlySpan<byte> address)
    {
        if (IsPattern) return OscPattern.Matches(Address, address);
        return OscPattern.Matches(address, Address);
    }
}
