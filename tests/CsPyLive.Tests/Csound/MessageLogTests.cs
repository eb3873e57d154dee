using System.Text;
using CsPyLive.Csound;

namespace CsPyLive.Tests.Csound;

public sealed class MessageLogTests
{
    [Fact]
    public void Joins_pieces_into_lines_and_keeps_long_lines_whole()
    {
        var log = new MessageLog(64);
        var longLine = new string('x', 1000) + "é";
        log.Write(MessageKind.Info, Encoding.UTF8.GetBytes("hel"));
        log.Write(MessageKind.Info, Encoding.UTF8.GetBytes("lo\nworld\n" + longLine + "\n"));
        var lines = new List<string>();
        log.Drain((_, l) => lines.Add(l));
        Assert.Equal(["hello", "world", longLine], lines);
    }

    [Fact]
    public void Counts_what_it_had_to_drop_instead_of_blocking()
    {
        var log = new MessageLog(4);
        for (var i = 0; i < 10; i++) log.Write(MessageKind.Info, "line\n");
        Assert.Equal(6, log.Dropped);
    }

    [Fact]
    public void Writing_allocates_nothing()
    {
        var log = new MessageLog(1024);
        var bytes = Encoding.UTF8.GetBytes("a message from the audio thread\n");
        log.Write(MessageKind.Info, bytes);
        log.Drain((_, _) => { });
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++) log.Write(MessageKind.Info, bytes);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
