using System.Runtime.CompilerServices;

namespace CsPyLive.Csound;

/// <summary>Where a message line came from; decides how the console shows it.</summary>
public enum MessageKind : byte
{
    Info,
    Warning,
    Error,
    /// <summary>Text Python printed (sys.stdout / sys.stderr), kept in order with Csound's own.</summary>
    Python,
}

/// <summary>
/// A fixed-size piece of a message, written by whichever thread printed (usually the audio thread) without
/// allocating; a long message spans several records. Drained into lines by <see cref="MessageLog"/>.
/// </summary>
internal struct MessageRecord
{
    internal const int Capacity = 240;
    public MessageKind Kind;
    public byte Length;
    public Bytes Text;

    [InlineArray(Capacity)]
    internal struct Bytes
    {
        private byte first;
    }
}
