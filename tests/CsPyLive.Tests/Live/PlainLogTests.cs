using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>Plain mode: no per-note chatter, a repeated message once with its count, warnings and errors kept.</summary>
public sealed class PlainLogTests
{
    [Fact]
    public void Per_note_chatter_is_hidden_and_the_rest_kept_in_order()
    {
        var printed = new List<string>();
        var log = new PlainLog((k, l) => printed.Add($"{k}: {l}"));
        log.Write(MessageKind.Error, "\x1b[31mnew alloc for instr 1:"); // Csound sends it as an error, in red
        log.Write(MessageKind.Info, "  rtevent:\t   T  0.030 TT  0.030 M:  0.17225  0.08776");
        log.Write(MessageKind.Info, "B  0.000 ..  4.000 T  4.000 TT  4.000 M:  0.40845  0.39229");
        log.Write(MessageKind.Warning, "WARNING: Library libpy.so omitted");
        log.Write(MessageKind.Warning, "WARNING: instr 5 not found");
        log.Write(MessageKind.Error, "INIT ERROR in instr 1 (opcode pycall1) line 9: Python exception");
        log.Write(MessageKind.Info, "SECTION 1:");
        Assert.Equal(["Warning: WARNING: instr 5 not found", "Error: INIT ERROR in instr 1 (opcode pycall1) line 9: Python exception", "Info: SECTION 1:"], printed);
        Assert.Equal(4, log.Hidden);
    }

    [Fact]
    public void Verbose_shows_the_chatter()
    {
        var printed = new List<string>();
        var log = new PlainLog((_, l) => printed.Add(l), verbose: true);
        log.Write(MessageKind.Error, "new alloc for instr 1:");
        Assert.Equal(["new alloc for instr 1:"], printed);
    }

    [Fact]
    public void A_message_repeated_is_printed_once_then_counted()
    {
        var printed = new List<string>();
        var log = new PlainLog((_, l) => printed.Add(l));
        for (var i = 0; i < 120; i++) log.Write(MessageKind.Error, "PERF ERROR in instr 3: pycall1: Python exception");
        log.Write(MessageKind.Info, "next");
        Assert.Equal(["PERF ERROR in instr 3: pycall1: Python exception", "  (×120)", "next"], printed);
    }

    [Fact]
    public void A_message_that_keeps_coming_is_counted_each_second()
    {
        var printed = new List<string>();
        var log = new PlainLog((_, l) => printed.Add(l));
        log.Write(MessageKind.Warning, "same");
        log.Write(MessageKind.Warning, "same");
        log.Flush(); // under a second: nothing yet
        Assert.Equal(["same"], printed);
        Thread.Sleep(1100);
        log.Flush();
        Assert.Equal(["same", "  (×2)"], printed);
    }

    [Fact]
    public void Play_prints_no_per_note_chatter_unless_verbose()
    {
        var hello = Path.Combine(TestData.RepoRoot, "patches", "hello");
        var plain = ProcessRunner.CsPyLive("play", hello, "--audio", "null", "--duration", "2", "--no-tui");
        Assert.True(plain.ExitCode == 0, plain.Output);
        Assert.DoesNotContain("new alloc", plain.StdErr);
        Assert.DoesNotContain("rtevent", plain.StdErr);
        Assert.Contains("cspylive: played 2", plain.StdErr);
        var verbose = ProcessRunner.CsPyLive("play", hello, "--audio", "null", "--duration", "2", "--no-tui", "--verbose");
        Assert.Contains("new alloc for instr 1:", verbose.StdErr); // hello plays notes from its first second
    }
}
