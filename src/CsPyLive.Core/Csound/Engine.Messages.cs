using System.Runtime.InteropServices;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Csound;

/// <summary>Csound's messages, routed into <see cref="Engine.Messages"/> from whatever thread Csound prints on.</summary>
public sealed unsafe partial class Engine
{
    [UnmanagedCallersOnly]
    private static void OnDefaultMessage(nint cs, int attr, byte* format, nint args)
    {
        try
        {
            var buffer = stackalloc byte[1024];
            var n = vsnprintf(buffer, 1024, format, args);
            if (n < 0) return;
            buffer[Math.Min(n, 1023)] = 0;
            Route(cs, attr, buffer);
        }
        catch
        {
            // Nothing may cross back into C.
        }
    }

    [UnmanagedCallersOnly]
    private static void OnMessage(nint cs, int attr, byte* text)
    {
        try
        {
            Route(cs, attr, text);
        }
        catch
        {
            // Nothing may cross back into C; a lost message is the lesser harm.
        }
    }

    private static void Route(nint cs, int attr, byte* text)
    {
        if (FromNative(cs) is not { } engine) return;
        var kind = (attr & CSOUNDMSG_TYPE_MASK) switch
        {
            CSOUNDMSG_ERROR => MessageKind.Error,
            CSOUNDMSG_WARNING => MessageKind.Warning,
            _ => MessageKind.Info,
        };
        engine.Messages.Write(kind, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
    }
}
