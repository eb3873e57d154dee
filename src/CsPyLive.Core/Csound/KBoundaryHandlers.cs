namespace CsPyLive.Csound;

/// <summary>
/// The handlers of an engine's <see cref="TimedActionKind.Custom"/> actions (hot reload, OSC's Python assignments...):
/// each registers once and stamps its actions with the id it got, so several coexist on one queue.
/// </summary>
/// <remarks>
/// <see cref="Add"/> runs on a control thread, normally before the engine starts; it publishes the handler with a
/// volatile write, so adding one while the audio thread runs is safe too. <see cref="Apply"/> runs on the audio thread:
/// an array read and an interface call, nothing else. An action whose handler id is unknown is ignored.
/// </remarks>
public sealed class KBoundaryHandlers
{
    /// <summary>How many handlers one engine can hold (a byte id; a few are used).</summary>
    public const int Capacity = 16;

    private readonly IKBoundaryHandler?[] handlers = new IKBoundaryHandler?[Capacity];
    private int count;

    /// <summary>Registers <paramref name="handler"/> and returns the id its actions carry in <see cref="TimedAction.Handler"/>.</summary>
    public byte Add(IKBoundaryHandler handler)
    {
        lock (handlers)
        {
            if (count == Capacity) throw new InvalidOperationException($"more than {Capacity} k-boundary handlers");
            Volatile.Write(ref handlers[count], handler);
            return (byte)count++;
        }
    }

    internal void Apply(in TimedAction action)
    {
        if (action.Handler < Capacity) Volatile.Read(ref handlers[action.Handler])?.Apply(in action);
    }
}
