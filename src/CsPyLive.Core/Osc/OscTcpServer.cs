using CsPyLive.Realtime;
using System.Net;
using System.Net.Sockets;

namespace CsPyLive.Osc;

/// <summary>
/// OSC over TCP with SLIP framing (OSC 1.1): an accept thread and one thread per connection, each reassembling packets
/// into its own buffer and handing them to the <see cref="OscDispatcher"/>. No feedback over TCP. Sources not on the
/// allowlist are closed at once.
/// </summary>
public sealed class OscTcpServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly Thread acceptThread;
    private readonly OscDispatcher dispatcher;
    private readonly SourceAllowlist allow;
    private readonly List<Socket> connections = [];
    private volatile bool stopping;

    public OscTcpServer(IPEndPoint bind, SourceAllowlist allow, OscDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
        this.allow = allow;
        listener = new TcpListener(bind);
        listener.Start();
        LocalEndPoint = (IPEndPoint)listener.LocalEndpoint;
        acceptThread = new Thread(Accept) { IsBackground = true, Name = "cspylive-osc-tcp" };
        acceptThread.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    private void Accept()
    {
        while (!stopping)
        {
            Socket client;
            try
            {
                client = listener.AcceptSocket();
            }
            catch (Exception) when (stopping)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (client.RemoteEndPoint is not IPEndPoint remote || !allow.Allows(remote.Address))
            {
                client.Close();
                continue;
            }
            lock (connections) connections.Add(client);
            new Thread(() => { ThreadScheduling.MakeBackgroundThread(); Serve(client); }) { IsBackground = true, Name = "cspylive-osc-tcp-client" }.Start();
        }
    }

    private void Serve(Socket client)
    {
        var slip = new SlipDecoder();
        var buffer = new byte[8192];
        Action<byte[], int> deliver = (p, n) => dispatcher.OnPacket(p.AsSpan(0, n), null);
        try
        {
            int n;
            while (!stopping && (n = client.Receive(buffer)) > 0) slip.Feed(buffer.AsSpan(0, n), deliver);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the peer went away, or we are stopping
        }
        finally
        {
            lock (connections) connections.Remove(client);
            client.Close();
        }
    }

    public void Dispose()
    {
        stopping = true;
        listener.Stop();
        acceptThread.Join();
        lock (connections)
            foreach (var c in connections) c.Close();
    }
}
