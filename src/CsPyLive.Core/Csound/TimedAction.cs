using System.Runtime.CompilerServices;

namespace CsPyLive.Csound;

/// <summary>What a <see cref="TimedAction"/> does when its k-cycle comes.</summary>
public enum TimedActionKind : byte
{
    /// <summary>A score event (<c>i</c>, <c>e</c>, <c>f</c>...) with up to <see cref="PFields.Capacity"/> p-fields.</summary>
    ScoreEvent,
    /// <summary>Writes <see cref="TimedAction.Value"/> to a control channel found by <see cref="TimedAction.ChannelSlot"/>.</summary>
    ChannelWrite,
    /// <summary>Turns off every instance of instrument p1 (fractional p1 selects one instance), with release.</summary>
    KillInstance,
    /// <summary>An action handled by an <see cref="IKBoundaryHandler"/> (Python assignments, code swaps...).</summary>
    Custom,
}

/// <summary>Inline p-fields: no array, so an action is a plain value that crosses threads without allocation.</summary>
[InlineArray(Capacity)]
public struct PFields
{
    public const int Capacity = 24;
    private double first;
}

/// <summary>
/// Something to apply to the engine at the k-cycle that holds <see cref="Frame"/> (an absolute sample frame from the
/// start of performance; 0 or a past frame means "at the next k-cycle"). A value type of fixed size, so control
/// threads queue it and the audio thread applies it without allocating.
/// </summary>
public struct TimedAction
{
    public long Frame;
    public TimedActionKind Kind;
    /// <summary>Score event opcode character: 'i', 'f', 'e', ...</summary>
    public byte EventType;
    public short Count;
    /// <summary>For <see cref="TimedActionKind.Custom"/>: which handler applies it (<see cref="KBoundaryHandlers.Add"/>).</summary>
    public byte Handler;
    /// <summary>Channel slot (<see cref="Engine.ChannelSlot"/>), or a handler's own code for <see cref="TimedActionKind.Custom"/>.</summary>
    public int ChannelSlot;
    public double Value;
    public PFields P;

    public static TimedAction ScoreEvent(long frame, char type, ReadOnlySpan<double> pfields)
    {
        if (pfields.Length > PFields.Capacity)
            throw new ArgumentException($"at most {PFields.Capacity} p-fields in a queued event", nameof(pfields));
        var a = new TimedAction { Frame = frame, Kind = TimedActionKind.ScoreEvent, EventType = (byte)type, Count = (short)pfields.Length };
        pfields.CopyTo(a.P);
        return a;
    }

    public static TimedAction ChannelWrite(long frame, int channelSlot, double value) =>
        new() { Frame = frame, Kind = TimedActionKind.ChannelWrite, ChannelSlot = channelSlot, Value = value };

    public static TimedAction Kill(long frame, double instrument) =>
        new() { Frame = frame, Kind = TimedActionKind.KillInstance, Value = instrument };
}

/// <summary>Applies <see cref="TimedActionKind.Custom"/> actions on the audio thread. Must not allocate or block.</summary>
public interface IKBoundaryHandler
{
    void Apply(in TimedAction action);
}
