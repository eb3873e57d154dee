using System.Runtime.InteropServices;
using CsPyLive.Tests.Support;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Tests.Csound;

/// <summary>
/// Our binding's constants and type sizes against the installed C headers (/usr/include/csound), by compiling a
/// small C program that prints them. If Csound's ABI moves, this fails before anything crashes.
/// </summary>
public sealed class HeaderConstantsTests
{
    private static Dictionary<string, long> HeaderValues(string body)
    {
        using var dir = new TempDir();
        var source = dir.Write("probe.c", $$"""
            #include <stdio.h>
            #include <stddef.h>
            #include <csound/csound.h>
            int main(void) {
            {{body}}
              return 0;
            }
            """);
        var compile = ProcessRunner.Run("cc", ["-o", dir.File("probe"), source], dir.Path);
        Assert.True(compile.ExitCode == 0, "the C probe did not compile (is libcsound64-dev installed?):\n" + compile.Output);
        var run = ProcessRunner.Run(dir.File("probe"), [], dir.Path);
        return run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1]));
    }

    [Fact]
    public void Constants_and_sizes_match_the_installed_headers()
    {
        var c = HeaderValues("""
              printf("CSOUNDINIT_NO_SIGNAL_HANDLER %d\n", CSOUNDINIT_NO_SIGNAL_HANDLER);
              printf("CSOUNDINIT_NO_ATEXIT %d\n", CSOUNDINIT_NO_ATEXIT);
              printf("CSOUND_CONTROL_CHANNEL %d\n", CSOUND_CONTROL_CHANNEL);
              printf("CSOUND_AUDIO_CHANNEL %d\n", CSOUND_AUDIO_CHANNEL);
              printf("CSOUND_STRING_CHANNEL %d\n", CSOUND_STRING_CHANNEL);
              printf("CSOUND_INPUT_CHANNEL %d\n", CSOUND_INPUT_CHANNEL);
              printf("CSOUND_OUTPUT_CHANNEL %d\n", CSOUND_OUTPUT_CHANNEL);
              printf("CSOUNDMSG_TYPE_MASK %d\n", CSOUNDMSG_TYPE_MASK);
              printf("CSOUNDMSG_ERROR %d\n", CSOUNDMSG_ERROR);
              printf("CSOUNDMSG_WARNING %d\n", CSOUNDMSG_WARNING);
              printf("sizeof_MYFLT %zu\n", sizeof(MYFLT));
              printf("sizeof_long %zu\n", sizeof(long));
            """);
        Assert.Equal(CSOUNDINIT_NO_SIGNAL_HANDLER, c["CSOUNDINIT_NO_SIGNAL_HANDLER"]);
        Assert.Equal(CSOUNDINIT_NO_ATEXIT, c["CSOUNDINIT_NO_ATEXIT"]);
        Assert.Equal(CSOUND_CONTROL_CHANNEL, c["CSOUND_CONTROL_CHANNEL"]);
        Assert.Equal(CSOUND_AUDIO_CHANNEL, c["CSOUND_AUDIO_CHANNEL"]);
        Assert.Equal(CSOUND_STRING_CHANNEL, c["CSOUND_STRING_CHANNEL"]);
        Assert.Equal(CSOUND_INPUT_CHANNEL, c["CSOUND_INPUT_CHANNEL"]);
        Assert.Equal(CSOUND_OUTPUT_CHANNEL, c["CSOUND_OUTPUT_CHANNEL"]);
        Assert.Equal(CSOUNDMSG_TYPE_MASK, c["CSOUNDMSG_TYPE_MASK"]);
        Assert.Equal(CSOUNDMSG_ERROR, c["CSOUNDMSG_ERROR"]);
        Assert.Equal(CSOUNDMSG_WARNING, c["CSOUNDMSG_WARNING"]);
        Assert.Equal(sizeof(double), c["sizeof_MYFLT"]);           // libcsound64: MYFLT is double
        Assert.Equal(Marshal.SizeOf<CLong>(), c["sizeof_long"]);   // csoundScoreEvent's numFields
    }
}
