using CsPyLive.Config;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Live;
using CsPyLive.Midi;
using CsPyLive.Osc;
using CsPyLive.Python;
using CsPyLive.Tests.Support;
using TestData = CsPyLive.Tests.Support.TestData;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CsPyLive.Tests.Fuzz;

/// <summary>
/// The corpora in <c>data/fuzz/</c> (OSC packets of every kind the host takes, hostile ones included; MIDI files of
/// each format and feature; patch.yaml files), each mutated at random: whatever comes in, the show goes on and what
/// is wrong is said clearly. The OSC packets go all the way through the dispatcher into a running engine.
/// </summary>
[Collection("Python")]
public sealed class CorpusFuzzTests
{
    private static string[] Corpus(string kind) => Directory.GetFiles(TestData.Path("fuzz", kind)).Order().ToArray();

    /// <summary>A mutation applied to corpus bytes: flips, random bytes, a NaN or infinity written over 4 aligned bytes, cuts, copies.</summary>
    private static byte[] Mutate(byte[] original, int seed, int count)
    {
        var random = new Random(seed);
        var bytes = original.ToList();
        for (var i = 0; i < count && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2:
                    var aligned = at & ~3;
                    if (aligned + 4 <= bytes.Count)
                    {
                        var special = random.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.MaxValue };
                        var b = BitConverter.GetBytes(special);
                        if (BitConverter.IsLittleEndian) Array.Reverse(b);
                        for (var k = 0; k < 4; k++) bytes[aligned + k] = b[k];
                    }
                    break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;                       // cut short
                case 4: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(8, bytes.Count - at))); break; // a piece twice
                default: bytes.RemoveAt(at); break;
            }
        }
        return [.. bytes];
    }

    private static Gen<(int File, int Seed, int Mutations)> Cases(int files) =>
        from file in Gen.Choose(0, files - 1)
        from seed in Gen.Choose(0, int.MaxValue)
        from mutations in Gen.Choose(0, 4)
        select (file, seed, mutations);

    [Fact]
    public void The_corpora_are_there_and_their_files_are_what_they_claim()
    {
        Assert.True(Corpus("osc").Length >= 20);
        Assert.True(Corpus("midi").Length >= 7);
        Assert.True(Corpus("yaml").Length >= 3);
        foreach (var mid in Corpus("midi")) StandardMidiFile.Read(mid);   // every MIDI file reads
        foreach (var yaml in Corpus("yaml")) PatchConfig.Parse(File.ReadAllText(yaml)); // every patch.yaml is valid
    }

    [Fact]
    public void Mutated_osc_packets_through_the_dispatcher_never_throw_and_never_poison_the_engine()
    {
        var corpus = Corpus("osc").Select(File.ReadAllBytes).ToArray();
        using var engine = TestEngines.Start(TestEngines.Csd("""
            instr 1
              kc chnget "cutoff"
              kl chnget "level"
              chnset kc + kl, "seen"
            endin
            instr 2
              chnset p4, "note"
            endin
            instr 3
              chnset 1, "alive"
            endin
            """, "i 1 0 3600\ni 3 0 3600"));
        using var osc = new OscInput(engine, new ActionSink(engine), PatchConfig.Parse("""
            osc:
              allow_python_code: true
              routes:
                - { address: /1/fader1, channel: level, scale: [0, 1, 0, 10] }
                - { address: /1/push*, event: "i 2 0 0.01 $1" }
            """).Osc!, null, new ShowPanic(engine, [3], []), (_, _) => { });
        var seen = engine.ChannelSlot("seen");
        var sent = 0L;
        var property = Prop.ForAll(Cases(corpus.Length).ToArbitrary(), c =>
        {
            osc.Dispatcher.OnPacket(Mutate(corpus[c.File], c.Seed, c.Mutations), null);
            sent++;
            engine.PerformKCycle();
            var stats = osc.Dispatcher.Stats;
            return stats.Packets == sent && stats.InternalErrors == 0 && double.IsFinite(engine.ReadChannel(seen));
        });
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(500), property);
        // Python globals set from the network are all finite: NaN and infinity never got through.
        Assert.Equal("True", PythonRuntime.Eval(
            "str(all(v == v and abs(v) != float('inf') for v in globals().values() if isinstance(v, float)))"));
        Assert.True(osc.Dispatcher.Stats.Applied > 0, "some packets were valid and applied"); // the property ran real traffic
    }

    [Property(MaxTest = 2000)]
    public Property Mutated_midi_files_read_or_are_refused_naming_a_byte_inside_the_file() =>
        Prop.ForAll(Cases(Corpus("midi").Length).ToArbitrary(), c =>
        {
            var bytes = Mutate(File.ReadAllBytes(Corpus("midi")[c.File]), c.Seed, c.Mutations);
            try
            {
                var file = StandardMidiFile.Parse(bytes);
                return double.IsFinite(file.DurationSeconds) && file.DurationSeconds >= 0
                    && file.Events.Zip(file.Events.Skip(1)).All(p => p.First.Seconds <= p.Second.Seconds);
            }
            catch (MidiFileException e)
            {
                return e.Offset >= 0 && e.Offset <= bytes.Length && e.Message.Length > 10;
            }
        });

    [Property(MaxTest = 1000)]
    public Property Mutated_patch_yaml_runs_clean_or_says_where_it_is_wrong()
    {
        var corpus = Corpus("yaml").Select(File.ReadAllText).ToArray();
        var text = Gen.Elements(".nan", "-.inf", "99999", "-1", "1e400", "x", "[", "{", "}", ": :", "'", "\"", "\t", "&a", "*a", "!!binary", "\0", "é", "0x10");
        var mutated =
            from file in Gen.Choose(0, corpus.Length - 1)
            from seed in Gen.Choose(0, int.MaxValue)
            from edits in Gen.Choose(1, 3)
            from inserts in text.ArrayOf().Where(a => a.Length >= edits)
            select Edit(corpus[file], seed, inserts[..edits]);
        return Prop.ForAll(mutated.ToArbitrary(), yaml =>
        {
            try
            {
                PatchConfig.Parse(yaml);
                return true; // a clean run
            }
            catch (ConfigException e)
            {
                // patch.yaml: line L, column C: ...   or   patch.yaml: osc.routes[0]: ...
                return System.Text.RegularExpressions.Regex.IsMatch(e.Message, @"^patch\.yaml: (line \d+, column \d+: .{5,}|[a-z_]+[a-z_.\[\]0-9]*: .{5,})");
            }
        });
    }

    /// <summary>Replaces a line's value, duplicates a line, or drops a line, each edit bringing one of <paramref name="inserts"/>.</summary>
    private static string Edit(string yaml, int seed, string[] inserts)
    {
        var random = new Random(seed);
        var lines = yaml.Split('\n').ToList();
        foreach (var insert in inserts)
        {
            var i = random.Next(lines.Count);
            switch (random.Next(4))
            {
                case 0:
                    var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
                    lines[i] = colon < 0 ? lines[i] + insert : lines[i][..(colon + 2)] + insert;
                    break;
                case 1: lines.Insert(i, lines[i]); break;
                case 2: lines.RemoveAt(i); if (lines.Count == 0) lines.Add(""); break;
                default: lines[i] = lines[i].Insert(random.Next(lines[i].Length + 1), insert); break;
            }
        }
        return string.Join('\n', lines);
    }
}
