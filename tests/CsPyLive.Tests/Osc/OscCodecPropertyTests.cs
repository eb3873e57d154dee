using CsPyLive.Osc;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CsPyLive.Tests.Osc;

/// <summary>Property tests of the codec: round trips, and no input (random or a mutated valid packet) crashes it.</summary>
public sealed class OscCodecPropertyTests
{
    private static readonly Gen<string> Text =
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_-. é€".ToCharArray()).ArrayOf().Select(c => new string(c));

    private static readonly Gen<OscArg> Argument = Gen.OneOf(
        Gen.Choose(int.MinValue, int.MaxValue).Select(i => new OscArg('i', i)),
        ArbMap.Default.GeneratorFor<long>().Select(h => new OscArg('h', h)),
        ArbMap.Default.GeneratorFor<long>().Select(t => new OscArg('t', t)),
        ArbMap.Default.GeneratorFor<int>().Select(i => new OscArg('f', Real: BitConverter.Int32BitsToSingle(i))),
        ArbMap.Default.GeneratorFor<long>().Select(d => new OscArg('d', Real: BitConverter.Int64BitsToDouble(d))),
        Gen.Choose(0, 0x10FFFF).Select(c => new OscArg('c', c)),
        Gen.Choose(int.MinValue, int.MaxValue).Select(c => new OscArg('r', c)),
        Gen.Choose(int.MinValue, int.MaxValue).Select(c => new OscArg('m', c)),
        Text.Select(s => new OscArg('s', Text: s)),
        Text.Select(s => new OscArg('S', Text: s)),
        ArbMap.Default.GeneratorFor<byte[]>().Select(b => new OscArg('b', Blob: b)),
        Gen.Elements('T', 'F', 'N', 'I').Select(t => new OscArg(t)));

    private static readonly Gen<OscArg[]> Arguments =
        from args in Argument.ArrayOf()
        from bracket in Gen.Choose(0, 3)
        from start in Gen.Choose(0, args.Length)
        from length in Gen.Choose(0, args.Length - start)
        select bracket == 0 && args.Length > 0
            ? [.. args[..start], new OscArg('['), .. args[start..(start + length)], new OscArg(']'), .. args[(start + length)..]]
            : args;

    private static readonly Gen<string> Address =
        Gen.Elements("a", "fader1", "1", "py", "x_y", "é", "push").ArrayOf().Where(p => p.Length > 0).Select(p => "/" + string.Join('/', p));

    private static readonly Gen<OscPacketModel> MessageGen =
        from a in Address from args in Arguments select (OscPacketModel)new OscMessageModel(a, args);

    private static Gen<OscPacketModel> Packet(int depth) => depth == 0
        ? MessageGen
        : Gen.Frequency(
            (3, MessageGen),
            (1, from tag in ArbMap.Default.GeneratorFor<ulong>()
                from elements in Packet(depth - 1).ArrayOf().Where(e => e.Length <= 6)
                select (OscPacketModel)new OscBundleModel(tag, elements)));

    [Property(MaxTest = 300)]
    public Property Messages_and_nested_bundles_round_trip() => Prop.ForAll(Packet(3).ToArbitrary(), packet =>
    {
        var bytes = OscModel.Encode(packet);
        var handler = new CollectingHandler();
        var error = OscDecoder.Decode(bytes, handler);
        var expected = OscModel.Flatten(packet).ToList();
        return error == OscError.None
            && handler.Messages.Count == expected.Count
            && handler.Messages.Zip(expected).All(p =>
                p.First.TimeTag == p.Second.TimeTag && p.First.Message.Address == p.Second.Message.Address
                && p.First.Message.Args.Length == p.Second.Message.Args.Length
                && p.First.Message.Args.Zip(p.Second.Message.Args).All(a => a.First.Equivalent(a.Second)));
    });

    [Property(MaxTest = 2000)]
    public Property Random_bytes_never_crash_the_decoder() => Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
    {
        var padded = bytes.Length % 4 == 0 ? bytes : [.. bytes, .. new byte[4 - bytes.Length % 4]];
        OscDecoder.Decode(padded, new CollectingHandler());
        OscDecoder.Decode(bytes, new CollectingHandler());
        return true;
    });

    [Property(MaxTest = 2000)]
    public Property Mutated_packets_never_crash_and_deliver_only_valid_messages() => Prop.ForAll(
        (from p in Packet(2)
         from mutations in Gen.Choose(1, 6)
         from seed in Gen.Choose(0, int.MaxValue)
         from cut in Gen.Choose(0, 3)
         select (p, mutations, seed, cut)).ToArbitrary(),
        t =>
        {
            var bytes = OscModel.Encode(t.p);
            var random = new Random(t.seed);
            for (var i = 0; i < t.mutations; i++)
            {
                var at = random.Next(bytes.Length);
                bytes[at] = random.Next(4) switch { 0 => 0, 1 => (byte)random.Next(256), 2 => (byte)'[', _ => 0xFF };
            }
            if (t.cut > 0 && bytes.Length > 4 * t.cut) bytes = bytes[..^(4 * t.cut)];
            var handler = new CollectingHandler();
            var error = OscDecoder.Decode(bytes, handler);
            // A rejected packet delivers nothing; an accepted one delivers messages whose arguments all read back.
            return error == OscError.None || handler.Messages.Count == 0;
        });

    [Fact]
    public void Decoding_allocates_nothing()
    {
        var packet = OscModel.Encode(new OscBundleModel(OscTimeTag.Immediately,
        [
            new OscMessageModel("/1/fader1", [new OscArg('f', Real: 0.5f)]),
            new OscMessageModel("/event", [new OscArg('s', Text: "i 2 0 0.5 440"), new OscArg('['), new OscArg('i', 3), new OscArg(']'), new OscArg('d', Real: 2)]),
            new OscBundleModel(5, [new OscMessageModel("/py/x", [new OscArg('h', 7), new OscArg('T'), new OscArg('b', Blob: [1, 2, 3])])]),
        ]));
        var handler = new CountingHandler();
        for (var i = 0; i < 1000; i++) OscDecoder.Decode(packet, handler); // warm up (JIT tiers)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++) OscDecoder.Decode(packet, handler);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(3 * 101_000, handler.Messages);
    }

    [Theory]
    [InlineData(new byte[] { }, OscError.BadSize)]
    [InlineData(new byte[] { (byte)'x', 0, 0, 0 }, OscError.BadAddress)]
    [InlineData(new byte[] { (byte)'/', (byte)'a', 0, 0, (byte)',', (byte)'i', 0, 0 }, OscError.Truncated)]
    [InlineData(new byte[] { (byte)'/', (byte)'a', 0, 0, (byte)',', (byte)'Q', 0, 0 }, OscError.UnknownType)]
    [InlineData(new byte[] { (byte)'/', (byte)'a', 0, 0, (byte)',', (byte)'[', 0, 0 }, OscError.BadArray)]
    [InlineData(new byte[] { (byte)'/', (byte)'a', 0, 0, (byte)'x', (byte)'i', 0, 0 }, OscError.BadTypeTags)]
    [InlineData(new byte[] { (byte)'#', (byte)'b', (byte)'u', (byte)'n', (byte)'d', (byte)'l', (byte)'e', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 64 }, OscError.BadBundle)]
    public void Malformed_packets_say_why(byte[] packet, OscError expected) =>
        Assert.Equal(expected, OscDecoder.Decode(packet, new CollectingHandler()));

    [Fact]
    public void Bundles_nested_too_deep_are_refused_not_recursed()
    {
        OscPacketModel p = new OscMessageModel("/a", []);
        for (var i = 0; i < OscDecoder.MaxBundleDepth + 1; i++) p = new OscBundleModel(1, [p]);
        Assert.Equal(OscError.TooDeep, OscDecoder.Decode(OscModel.Encode(p), new CollectingHandler()));
    }

    [Fact]
    public void Time_tags_convert_to_and_from_utc()
    {
        var t = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var tag = OscTimeTag.FromDateTime(t);
        Assert.Equal(3923553600UL, tag >> 32); // NTP seconds of 2024-05-01T12:00:00Z
        Assert.Equal(0.25, OscTimeTag.SecondsBetween(tag, OscTimeTag.FromDateTime(t.AddMilliseconds(250))), 6);
        Assert.Equal(-1.5, OscTimeTag.SecondsBetween(OscTimeTag.Add(tag, 1.5), tag), 6);
    }
}
