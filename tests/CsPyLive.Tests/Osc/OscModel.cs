using System.Text;
using CsPyLive.Osc;

namespace CsPyLive.Tests.Osc;

/// <summary>A managed model of OSC packets for the tests: encodes with <see cref="OscWriter"/>, and reads decoded ones back.</summary>
public sealed record OscArg(char Type, long Integer = 0, double Real = 0, string Text = "", byte[]? Blob = null)
{
    public bool Equivalent(OscArg other) => Type == other.Type && Integer == other.Integer && Text == other.Text
        && BitConverter.DoubleToInt64Bits(Real) == BitConverter.DoubleToInt64Bits(other.Real)
        && (Blob ?? []).AsSpan().SequenceEqual(other.Blob ?? []);

    public override string ToString() => $"{Type}:{Integer}/{Real}/{Text}/{Blob?.Length}";
}

public abstract record OscPacketModel;

public sealed record OscMessageModel(string Address, OscArg[] Args) : OscPacketModel
{
    public override string ToString() => $"{Address} [{string.Join(", ", Args.Select(a => a.ToString()))}]";
}

public sealed record OscBundleModel(ulong TimeTag, OscPacketModel[] Elements) : OscPacketModel;

public static class OscModel
{
    public static byte[] Encode(OscPacketModel packet)
    {
        var buffer = new byte[1 << 20];
        var w = new OscWriter(buffer);
        Write(ref w, packet);
        return w.Written.ToArray();
    }

    public static byte[] Message(string address, params object[] args) =>
        Encode(new OscMessageModel(address, args.Select(a => a switch
        {
            int i => new OscArg('i', i),
            float f => new OscArg('f', Real: f),
            double d => new OscArg('d', Real: d),
            long h => new OscArg('h', h),
            string s => new OscArg('s', Text: s),
            bool b => new OscArg(b ? 'T' : 'F'),
            _ => throw new ArgumentException(a.ToString()),
        }).ToArray()));

    private static void Write(ref OscWriter w, OscPacketModel packet)
    {
        if (packet is OscBundleModel b)
        {
            w.BeginBundle(b.TimeTag);
            foreach (var e in b.Elements)
            {
                var mark = w.BeginElement();
                Write(ref w, e);
                w.EndElement(mark);
            }
            return;
        }
        var m = (OscMessageModel)packet;
        w.WriteAddress(Encoding.UTF8.GetBytes(m.Address), Encoding.ASCII.GetBytes(m.Args.Select(a => a.Type).ToArray()));
        foreach (var a in m.Args)
        {
            switch (a.Type)
            {
                case 'i' or 'c' or 'r' or 'm': w.WriteInt32((int)a.Integer); break;
                case 'h': w.WriteInt64(a.Integer); break;
                case 't': w.WriteTimeTag((ulong)a.Integer); break;
                case 'f': w.WriteFloat32((float)a.Real); break;
                case 'd': w.WriteFloat64(a.Real); break;
                case 's' or 'S': w.WriteString(Encoding.UTF8.GetBytes(a.Text)); break;
                case 'b': w.WriteBlob(a.Blob!); break;
            }
        }
    }

    /// <summary>Reads a decoded message back into the model.</summary>
    public static OscMessageModel Read(in OscMessage message)
    {
        var args = new List<OscArg>();
        var reader = message.GetArguments();
        while (reader.MoveNext(out var a))
        {
            var t = (char)a.Type;
            args.Add(t switch
            {
                'i' or 'c' or 'r' or 'm' => new OscArg(t, a.Int32),
                'h' => new OscArg(t, a.Int64),
                't' => new OscArg(t, (long)a.TimeTag),
                'f' => new OscArg(t, Real: a.Float32),
                'd' => new OscArg(t, Real: a.Float64),
                's' or 'S' => new OscArg(t, Text: Encoding.UTF8.GetString(a.StringBytes)),
                'b' => new OscArg(t, Blob: a.BlobBytes.ToArray()),
                _ => new OscArg(t),
            });
        }
        return new OscMessageModel(Encoding.UTF8.GetString(message.Address), args.ToArray());
    }

    /// <summary>The messages of a model in order, each with its innermost bundle's time tag.</summary>
    public static IEnumerable<(OscMessageModel Message, ulong TimeTag)> Flatten(OscPacketModel p, ulong tag = OscTimeTag.Immediately) => p switch
    {
        OscBundleModel b => b.Elements.SelectMany(e => Flatten(e, b.TimeTag)),
        OscMessageModel m => [(m, tag)],
        _ => [],
    };
}

/// <summary>Collects what the decoder delivers.</summary>
public sealed class CollectingHandler : IOscMessageHandler
{
    public List<(OscMessageModel Message, ulong TimeTag)> Messages { get; } = [];

    public void OnMessage(in OscMessage message, ulong timeTag) => Messages.Add((OscModel.Read(message), timeTag));
}

/// <summary>Counts messages and touches their arguments, allocating nothing.</summary>
public sealed class CountingHandler : IOscMessageHandler
{
    public long Messages;
    public double Sum;

    public void OnMessage(in OscMessage message, ulong timeTag)
    {
        Messages++;
        var args = message.GetArguments();
        while (args.MoveNext(out var a))
        {
            if (a.TryGetDouble(out var v)) Sum += v;
            else if (a.IsString) Sum += a.StringBytes.Length;
        }
    }
}
