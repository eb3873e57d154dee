using System.Text;
using CsPyLive.Realtime;

namespace CsPyLive.Csound;

/// <summary>
/// Carries Csound's and Python's messages from the threads that print them to the host's console or log.
/// </summary>
/// <remarks>
/// <see cref="Write(MessageKind, ReadOnlySpan{byte})"/> never blocks or allocates: it copies bytes into fixed-size
/// records in a bounded queue, and counts what did not fit (<see cref="Dropped"/>) rather than waiting. A control
/// thread calls <see cref="Drain"/> to join the pieces into lines; that side may allocate. One instance per engine.
/// </remarks>
public sealed class MessageLog
{
    private readonly BoundedQueue<MessageRecord> queue;
    private readonly List<byte> partial = new(256);
    private MessageKind partialKind;
    private long dropped;

    public MessageLog(int capacity = 4096) => queue = new BoundedQueue<MessageRecord>(capacity);

    /// <summary>
    /// Error reports with a traceback the performing thread may write a second (Python exceptions in opcodes): a
    /// function whose message changes at every call is a new error each k-cycle, and flooded the log with 4,500
    /// tracebacks in 3 s.
    /// </summary>
    public ReportBudget Tracebacks { get; } = new(5);

    /// <summary>Pieces of messages lost because the queue was full (the drain thread fell behind).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Queues message text from any thread. Real-time safe.</summary>
    public void Write(MessageKind kind, ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            var record = new MessageRecord { Kind = kind };
            var n = Math.Min(utf8.Length, MessageRecord.Capacity);
            utf8[..n].CopyTo(record.Text);
            record.Length = (byte)n;
            if (!queue.TryEnqueue(record))
            {
                Interlocked.Increment(ref dropped);
                return;
            }
            utf8 = utf8[n..];
        }
    }

    /// <summary>Queues a message given as a managed string; for control threads (it allocates nothing, but encodes).</summary>
    public void Write(MessageKind kind, string text)
    {
        Span<byte> buffer = stackalloc byte[MessageRecord.Capacity];
        var chars = text.AsSpan();
        while (!chars.IsEmpty)
        {
            var take = Math.Min(chars.Length, MessageRecord.Capacity / 4);
            if (take < chars.Length && char.IsHighSurrogate(chars[take - 1])) take--;
            var n = Encoding.UTF8.GetBytes(chars[..take], buffer);
            Write(kind, buffer[..n]);
            chars = chars[take..];
        }
    }

    /// <summary>
    /// Hands every complete line queued so far to <paramref name="sink"/>, in order. A trailing piece without a
    /// newline is kept for the next drain unless <paramref name="flush"/> is set. Call from one thread at a time.
    /// </summary>
    public void Drain(Action<MessageKind, string> sink, bool flush = false)
    {
        while (queue.TryDequeue(out var record))
        {
            if (partial.Count > 0 && record.Kind != partialKind) EmitPartial(sink);
            partialKind = record.Kind;
            ReadOnlySpan<byte> text = record.Text;
            text = text[..record.Length];
            int newline;
            while ((newline = text.IndexOf((byte)'\n')) >= 0)
            {
                foreach (var b in text[..newline]) partial.Add(b);
                EmitPartial(sink, force: true);
                text = text[(newline + 1)..];
            }
            foreach (var b in text) partial.Add(b);
        }
        if (flush && partial.Count > 0) EmitPartial(sink);
    }

    private void EmitPartial(Action<MessageKind, string> sink, bool force = false)
    {
        if (partial.Count == 0 && !force) return;
        var line = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(partial));
        partial.Clear();
        sink(partialKind, line);
    }
}
