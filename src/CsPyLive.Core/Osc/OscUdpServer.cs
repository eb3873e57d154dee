using CsPyLive.Realtime;
using System.Net;
using System.Net.Sockets;

namespace CsPyLive.Osc;

/// <summary>
/// Receives OSC over UDP on its own thread and hands each datagram to an <see cref="OscDispatcher"/>; sends feedback
/// from the same socket. IPv4. The receive loop allocates nothing per packet (one buffer, one reused
/// <see cref="SocketAddress"/>), and nothing a packet holds can throw out of it.
/// </summary>
public sealed class OscUdpServer : IDisposable, IOscFeedback
{
    private readonly Socket socket;
    private readonly Thread thread;
    private readonly OscDispatcher dispatcher;
    private readonly SourceAllowlist allow;
    private readonly int? feedbackPort;
    private readonly byte[] buffer = new byte[65536];
    private readonly byte[] feedbackBuffer = new byte[OscPattern.MaxLength + 16];
    private readonly SocketAddress sender;
    private readonly SocketAddress feedbackTo;
    private volatile bool stopping;
    private long refused;

    public OscUdpServer(IPEndPoint bind, SourceAllowlist allow, int? feedbackPort, OscDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
        this.allow = allow;
        this.feedbackPort = feedbackPort;
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20; // the kernel caps it at net.core.rmem_max; a burst waits here, not lost
        socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        sender = new IPEndPoint(IPAddress.Any, 0).Serialize();
        feedbackTo = new IPEndPoint(IPAddress.Any, 0).Serialize();
        thread = new Thread(Loop) { IsBackground = true, Name = "cspylive-osc-udp" };
        thread.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams dropped because their source is not on the allowlist.</summary>
    public long Refused => Interlocked.Read(ref refused);

    private void Loop()
    {
        ThreadScheduling.MakeBackgroundThread(); // a flood of packets must not take the audio thread's core
        while (!stopping)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, SocketFlags.None, sender);
            }
            catch (SocketException) when (!stopping)
            {
                continue; // e.g. an ICMP "port unreachable" from an earlier feedback send
            }
            catch (Exception) when (stopping)
            {
                return;
            }
            if (!allow.Allows(sender))
            {
                Interlocked.Increment(ref refused);
                continue;
            }
            dispatcher.OnPacket(buffer.AsSpan(0, n), this);
        }
    }

    /// <summary>Called by the dispatcher, on this server's thread, while it handles a packet from <c>sender</c>.</summary>
    void IOscFeedback.Send(ReadOnlySpan<byte> address, float value)
    {
        if (address.Length > OscPattern.MaxLength) return;
        var w = new OscWriter(feedbackBuffer);
        w.WriteAddress(address, "f"u8);
        w.WriteFloat32(value);
        sender.Buffer.Span[..sender.Size].CopyTo(feedbackTo.Buffer.Span);
        if (feedbackPort is { } port)
        {
            feedbackTo.Buffer.Span[2] = (byte)(port >> 8); // sockaddr_in: family (2 bytes), port big-endian, address
            feedbackTo.Buffer.Span[3] = (byte)port;
        }
        try
        {
            socket.SendTo(w.Written, SocketFlags.None, feedbackTo);
        }
        catch (SocketException)
        {
            // the controller is gone; feedback is best effort
        }
    }

    public void Dispose()
    {
        stopping = true;
        socket.Close();
        thread.Join();
    }
}

/// <summary>The IPv4 sources a server accepts; empty means any (only allowed when bound to loopback).</summary>
public sealed class SourceAllowlist(IReadOnlyList<IPAddress> addresses)
{
    private readonly uint[] allowed = addresses.Select(a => BitConverter.ToUInt32(a.MapToIPv4().GetAddressBytes())).ToArray();

    public bool IsEmpty => allowed.Length == 0;

    public bool Allows(SocketAddress address)
    {
        if (allowed.Length == 0) return true;
        var ip = BitConverter.ToUInt32(address.Buffer.Span.Slice(4, 4));
        return Array.IndexOf(allowed, ip) >= 0;
    }

    public bool Allows(IPAddress address) =>
        allowed.Length == 0 || Array.IndexOf(allowed, BitConverter.ToUInt32(address.MapToIPv4().GetAddressBytes())) >= 0;
}
