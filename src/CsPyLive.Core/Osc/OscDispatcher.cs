using System.Text;
using CsPyLive.Csound;
using CsPyLive.Inputs;

namespace CsPyLive.Osc;

/// <summary>Where a message's feedback goes: the controller that sent it.</summary>
public interface IOscFeedback
{
    void Send(ReadOnlySpan<byte> address, float value);
}

/// <summary>
/// Turns decoded OSC messages into engine actions: the patch's routes first, then the built-in addresses
/// (<c>/py/NAME</c>, <c>/py/exec</c>, <c>/chn/NAME</c>, <c>/event</c>, <c>/event/i</c>, <c>/panic</c>, <c>/tempo</c>).
/// </summary>
/// <remarks>
/// Receiving threads call <see cref="OnPacket"/> (serialised by a lock: UDP and TCP may both deliver). Known addresses
/// allocate nothing; a name seen for the first time allocates once. Nothing here throws into the caller: malformed
/// packets, unknown addresses and rejected messages are counted (<see cref="Stats"/>) for a rate-limited report.
/// A time tag in the future schedules the message at its frame (<see cref="ActionSink.AtTimeTag"/>); "immediately" or
/// a past time applies at the next k-cycle. <c>/panic</c> is the show's panic (<see cref="IShowPanic"/>); <c>/tempo f</c>
/// sets the beat clock's tempo at once (on Link, the session's: <see cref="Sync.BeatClock.SetTempo"/>), whatever its time tag.
/// </remarks>
public sealed class OscDispatcher
{
    private const int MaxChannelNames = 256;

    private readonly object gate = new();
    private readonly ActionSink sink;
    private readonly OscActions actions;
    private readonly IShowPanic panic;
    private readonly OscPython? python;
    private readonly OscRoute[] routes;
    private readonly bool builtins;
    private readonly Sync.BeatClock? clock;
    private readonly bool allowCode;
    private readonly OscNames channelNames = new(MaxChannelNames);
    private readonly int[] channelSlots = new int[MaxChannelNames];
    private readonly byte[] lastUnrouted = new byte[64];
    private readonly byte[] lastNonFinite = new byte[64];
    private OscCounters counters;

    internal OscDispatcher(ActionSink sink, OscActions actions, OscPython? python, OscConfig config, IShowPanic panic, Sync.BeatClock? clock = null)
    {
        this.clock = clock;
        this.sink = sink;
        this.actions = actions;
        this.python = python;
        this.panic = panic;
        builtins = config.BuiltinRoutes;
        allowCode = config.AllowPythonCode;
        routes = config.Routes.Select(r => OscRoute.Create(r, python, sink.ChannelSlot)).ToArray();
    }

    /// <summary>A snapshot of the counters (any thread; approximate while packets arrive).</summary>
    public OscCounters Stats
    {
        get
        {
            lock (gate) return counters with { Applied = actions.Applied, Coalesced = actions.Coalesced };
        }
    }

    /// <summary>The last address nothing routed (for the report), or "".</summary>
    public string LastUnrouted
    {
        get { lock (gate) return Text(lastUnrouted); }
    }

    /// <summary>The last address whose message carried NaN or infinity (for the report), or "".</summary>
    public string LastNonFinite
    {
        get { lock (gate) return Text(lastNonFinite); }
    }

    private static string Text(byte[] zeroTerminated) =>
        Encoding.UTF8.GetString(zeroTerminated.AsSpan(0, Array.IndexOf(zeroTerminated, (byte)0) is var n and >= 0 ? n : zeroTerminated.Length));

    /// <summary>Decodes a packet and applies its messages; feedback goes to <paramref name="reply"/>. Never throws.</summary>
    public OscError OnPacket(ReadOnlySpan<byte> packet, IOscFeedback? reply)
    {
        lock (gate)
        {
            counters.Packets++;
            OscError error;
            try
            {
                var delivery = new Delivery(this, reply);
                error = OscDecoder.Decode(packet, ref delivery);
            }
            catch (Exception)
            {
                // A bug of ours must not kill the receiving thread; counted like a malformed packet.
                counters.InternalErrors++;
                error = OscError.None;
            }
            if (error != OscError.None)
            {
                counters.Malformed++;
                counters.LastError = error;
            }
            return error;
        }
    }

    /// <summary>One packet's messages, with the controller that sent it (where feedback goes).</summary>
    private readonly struct Delivery(OscDispatcher dispatcher, IOscFeedback? reply) : IOscMessageHandler
    {
        public void OnMessage(in OscMessage message, ulong timeTag) => dispatcher.OnMessage(message, timeTag, reply);
    }

    private void OnMessage(in OscMessage message, ulong timeTag, IOscFeedback? reply)
    {
        counters.Messages++;
        var frame = FrameFor(timeTag);
        var matched = false;
        foreach (var route in routes)
        {
            if (!route.Matches(message.Address)) continue;
            matched = true;
            Count(ApplyRoute(route, message, route.Quantize.IsNone ? frame : sink.Quantized(clock, route.Quantize, frame), reply), message.Address);
        }
        if (!matched && builtins) matched = ApplyBuiltin(message, frame);
        if (matched) return;
        counters.Unrouted++;
        lastUnrouted.AsSpan().Clear();
        message.Address[..Math.Min(message.Address.Length, lastUnrouted.Length)].CopyTo(lastUnrouted);
    }

    private long FrameFor(ulong timeTag) =>
        timeTag <= OscTimeTag.Immediately ? ActionSink.Now : sink.AtTimeTag(OscTimeTag.SecondsBetween(OscTimeTag.Now, timeTag));

    /// <summary>What became of a message. <see cref="NonFinite"/>: a number argument was NaN or infinite, which would
    /// poison a filter's state or a Python loop for the rest of the show: never passed on. <see cref="TooLarge"/>: a
    /// <c>/py</c> string over <see cref="OscPython.StringSlotBytes"/>, or an <c>/event</c> table over
    /// <see cref="MaxOscTablePoints"/> points (Csound computes it on the audio thread: 16M points stalled it 891 ms).</summary>
    private enum Outcome : byte { Done, Rejected, Dropped, NonFinite, TooLarge }

    /// <summary>The largest function table an <c>/event "f ..."</c> may ask for.</summary>
    public const int MaxOscTablePoints = 1 << 20;

    private void Count(Outcome outcome, ReadOnlySpan<byte> address = default)
    {
        if (outcome == Outcome.Rejected) counters.Rejected++;
        else if (outcome == Outcome.Dropped) counters.Dropped++;
        else if (outcome == Outcome.TooLarge) counters.TooLarge++;
        else if (outcome == Outcome.NonFinite)
        {
            counters.NonFinite++;
            lastNonFinite.AsSpan().Clear();
            address[..Math.Min(address.Length, lastNonFinite.Length)].CopyTo(lastNonFinite);
        }
    }

    private Outcome ApplyRoute(OscRoute route, in OscMessage message, long frame, IOscFeedback? reply)
    {
        Span<double> numbers = stackalloc double[Csound.PFields.Capacity];
        var count = ReadNumbers(message, numbers, out var firstType, out var text, out var nonFinite);
        if (nonFinite) return Outcome.NonFinite;
        var hasValue = count > 0 && !double.IsNaN(numbers[0]);
        if (route.Kind is OscRouteKind.Trigger or OscRouteKind.Event && count == 0) { numbers[0] = 1; hasValue = true; }
        if (route.Kind == OscRouteKind.Python && firstType is (byte)'s' or (byte)'S') return AssignString(route.Target, text, frame);
        if (!hasValue) return Outcome.Rejected;
        var raw = numbers[0];
        if (route.SkipZero && raw == 0) return Outcome.Done;
        var value = route.Scale is { } s ? s.Apply(raw) : raw;
        if (route.Feedback && reply is not null) reply.Send(message.Address, (float)(route.Scale is { } c ? c.Clamp(raw) : raw));
        var ok = route.Kind switch
        {
            OscRouteKind.Python => actions.SetPython(route.Target, value, route.Scale is null ? KindOf(firstType) : OscValueKind.Float, frame),
            OscRouteKind.Channel => actions.SetChannel(route.Target, value, frame),
            OscRouteKind.Trigger => actions.Trigger(route.ValueSlot, route.Target, value, frame),
            _ => FireTemplate(route.Event!, numbers, count, value, frame),
        };
        return ok ? Outcome.Done : Outcome.Dropped;
    }

    private bool FireTemplate(EventTemplate template, Span<double> numbers, int count, double value, long frame)
    {
        numbers[0] = value;
        Span<double> p = stackalloc double[Csound.PFields.Capacity];
        if (!template.Fill(p, numbers[..Math.Max(count, 1)])) { counters.Rejected++; return true; }
        return actions.Event(frame, template.Type, p[..template.Count]);
    }

    private bool ApplyBuiltin(in OscMessage message, long frame)
    {
        var address = message.Address;
        if (address.SequenceEqual("/panic"u8)) Count(panic.Panic(frame) ? Outcome.Done : Outcome.Dropped, address);
        else if (address.SequenceEqual("/tempo"u8)) Count(Tempo(message), address);
        else if (address.SequenceEqual("/event"u8)) Count(ScoreLine(message, frame), address);
        else if (address.SequenceEqual("/event/i"u8)) Count(EventNumbers(message, frame), address);
        else if (address.SequenceEqual("/event/q"u8)) Count(QuantizedScoreLine(message, frame), address);
        else if (address.StartsWith("/py/"u8)) Count(Python(address[4..], message, frame), address);
        else if (address.StartsWith("/chn/"u8)) Count(Channel(address[5..], message, frame), address);
        else return false;
        return true;
    }

    private Outcome Tempo(in OscMessage message)
    {
        if (clock is null) return Outcome.Rejected;
        Span<double> bpm = stackalloc double[1];
        if (ReadNumbers(message, bpm, out _, out _, out var nonFinite) != 1) return Outcome.Rejected;
        if (nonFinite) return Outcome.NonFinite;
        return clock.SetTempo(bpm[0]) ? Outcome.Done : Outcome.Rejected;
    }

    private Outcome ScoreLine(in OscMessage message, long frame)
    {
        var args = message.GetArguments();
        if (!args.MoveNext(out var a) || !a.IsString) return Outcome.Rejected;
        Span<double> p = stackalloc double[Csound.PFields.Capacity];
        var n = EventTemplate.ParseScoreLine(a.StringBytes, out var type, p);
        if (n < 0) return Outcome.Rejected;
        if (type == 'f' && n >= 3 && Math.Abs(p[2]) > MaxOscTablePoints) return Outcome.TooLarge;
        return actions.Event(frame, type, p[..n]) ? Outcome.Done : Outcome.Dropped;
    }

    /// <summary><c>/event/q ss beat|bar|&lt;beats&gt; "i 1 0 1 ..."</c>: a score line on the next boundary of the beat clock.</summary>
    private Outcome QuantizedScoreLine(in OscMessage message, long frame)
    {
        var args = message.GetArguments();
        if (!args.MoveNext(out var q) || !args.MoveNext(out var line) || !line.IsString) return Outcome.Rejected;
        Sync.Quantization quantize;
        if (q.IsString)
        {
            Span<char> text = stackalloc char[16];
            var n = Encoding.UTF8.GetChars(q.StringBytes[..Math.Min(q.StringBytes.Length, 16)], text);
            if (!Sync.Quantization.TryParse(text[..n], out quantize)) return Outcome.Rejected;
        }
        else if (q.TryGetDouble(out var beats) && beats > 0 && beats <= 64) quantize = new(Sync.QuantizeTo.None, beats);
        else return Outcome.Rejected;
        Span<double> p = stackalloc double[Csound.PFields.Capacity];
        var count = EventTemplate.ParseScoreLine(line.StringBytes, out var type, p);
        if (count < 0) return Outcome.Rejected;
        if (type == 'f' && count >= 3 && Math.Abs(p[2]) > MaxOscTablePoints) return Outcome.TooLarge;
        return actions.Event(sink.Quantized(clock, quantize, frame), type, p[..count]) ? Outcome.Done : Outcome.Dropped;
    }

    private Outcome EventNumbers(in OscMessage message, long frame)
    {
        Span<double> p = stackalloc double[Csound.PFields.Capacity];
        var n = ReadNumbers(message, p, out _, out _, out var nonFinite);
        if (nonFinite) return Outcome.NonFinite;
        if (n == 0 || HasNaN(p[..n])) return Outcome.Rejected;
        return actions.Event(frame, 'i', p[..n]) ? Outcome.Done : Outcome.Dropped;
    }

    private Outcome Python(ReadOnlySpan<byte> name, in OscMessage message, long frame)
    {
        if (python is null) return Outcome.Rejected;
        var args = message.GetArguments();
        if (!args.MoveNext(out var a)) return Outcome.Rejected;
        if (name.SequenceEqual("exec"u8))
        {
            if (!allowCode || !a.IsString) return Outcome.Rejected;
            var slot = python.TryCompile(a.StringBytes);
            if (slot < 0) return Outcome.Rejected;
            if (actions.Exec(slot, frame)) return Outcome.Done;
            python.ReleaseCode(slot);
            return Outcome.Dropped;
        }
        var index = python.NameIndex(name);
        if (index < 0) return Outcome.Rejected;
        if (a.IsString) return AssignString(index, a.StringBytes, frame);
        if (!a.TryGetDouble(out var value)) return Outcome.Rejected;
        if (!double.IsFinite(value)) return Outcome.NonFinite;
        return actions.SetPython(index, value, KindOf(a.Type), frame) ? Outcome.Done : Outcome.Dropped;
    }

    private Outcome AssignString(int index, ReadOnlySpan<byte> text, long frame)
    {
        if (python is null) return Outcome.Rejected;
        if (text.Length > OscPython.StringSlotBytes) return Outcome.TooLarge; // not a full queue: the string's own size
        var slot = python.TryPutString(text);
        if (slot < 0) return Outcome.Dropped;
        if (actions.SetPythonString(index, slot, frame)) return Outcome.Done;
        python.ReleaseString(slot);
        return Outcome.Dropped;
    }

    private Outcome Channel(ReadOnlySpan<byte> name, in OscMessage message, long frame)
    {
        if (!message.TryGetFirstNumber(out var value)) return Outcome.Rejected;
        if (!double.IsFinite(value)) return Outcome.NonFinite;
        var i = channelNames.Find(name);
        if (i < 0)
        {
            if (!OscNames.IsChannelName(name) || channelNames.Count == channelNames.Capacity) return Outcome.Rejected;
            int slot;
            try
            {
                slot = sink.ChannelSlot(Encoding.UTF8.GetString(name)); // first sight of this name only
            }
            catch (Exception e) when (e is CsoundException or InvalidOperationException)
            {
                return Outcome.Rejected;
            }
            i = channelNames.Add(name);
            channelSlots[i] = slot;
        }
        return actions.SetChannel(channelSlots[i], value, frame) ? Outcome.Done : Outcome.Dropped;
    }

    /// <summary>
    /// Numbers of the message's arguments (NaN for a non-number); the first argument's type and string bytes; and
    /// whether a number argument was itself NaN or infinite.
    /// </summary>
    private static int ReadNumbers(in OscMessage message, Span<double> numbers, out byte firstType, out ReadOnlySpan<byte> firstString,
        out bool nonFinite)
    {
        firstType = 0;
        firstString = default;
        nonFinite = false;
        var args = message.GetArguments();
        var n = 0;
        while (n < numbers.Length && args.MoveNext(out var a))
        {
            if (a.Type is (byte)'[' or (byte)']') continue;
            if (n == 0)
            {
                firstType = a.Type;
                if (a.IsString) firstString = a.StringBytes;
            }
            if (a.TryGetDouble(out var v))
            {
                nonFinite |= !double.IsFinite(v);
                numbers[n++] = v;
            }
            else
            {
                numbers[n++] = double.NaN;
            }
        }
        return n;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
            if (double.IsNaN(v)) return true;
        return false;
    }

    private static OscValueKind KindOf(byte type) => type switch
    {
        (byte)'i' or (byte)'h' => OscValueKind.Int,
        (byte)'T' or (byte)'F' => OscValueKind.Bool,
        _ => OscValueKind.Float,
    };
}

/// <summary>What the dispatcher counted.</summary>
public record struct OscCounters
{
    public long Packets;
    public long Messages;
    public long Malformed;
    public long Unrouted;
    public long Rejected;
    public long Dropped;
    /// <summary>Messages refused because a number in them was NaN or infinite.</summary>
    public long NonFinite;
    /// <summary>Messages refused for their size: a /py string over 512 bytes, an /event table over 1,048,576 points.</summary>
    public long TooLarge;
    public long InternalErrors;
    public long Applied;
    public long Coalesced;
    public OscError LastError;
}
