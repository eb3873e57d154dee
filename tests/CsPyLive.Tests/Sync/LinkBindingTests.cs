using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Sync.Link;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// The C# binding of the Link shim, in this process without ever creating a Link session (that happens only inside a
/// private network namespace: <see cref="LinkSessionTests"/>): the library loads, its ABI and struct layout match, and
/// the pure parts (where the library is looked for, frames of a period) are right.
/// </summary>
[Collection(LinkCollection.Name)]
public sealed class LinkBindingTests
{
    [Fact]
    public void The_shim_loads_and_has_the_ABI_version_the_binding_expects()
    {
        LinkShim.UseInThisProcess();
        Assert.True(LinkSession.IsAvailable);
        Assert.Equal(LinkNative.AbiVersion, LinkNative.cspylive_link_abi_version());
    }

    [Fact]
    public void LinkState_has_the_layout_of_the_C_struct()
    {
        using var dir = new TempDir();
        var fields = new[] { "time_micros", "quantum", "tempo", "beat", "phase", "next_beat_micros", "next_bar_micros", "is_playing" };
        var source = dir.Write("layout.c", $$"""
            #include <stddef.h>
            #include <stdio.h>
            #include "cspylive_link.h"
            int main(void) {
              printf("size %zu\n", sizeof(cspylive_link_state));
            {{string.Concat(fields.Select(f => $"  printf(\"{f} %zu\\n\", offsetof(cspylive_link_state, {f}));\n"))}}
              return 0;
            }
            """);
        var cc = ProcessRunner.Run("cc", ["-o", dir.File("layout"), source, "-I", Path.Combine(LinkShim.Root, "native", "link")], dir.Path);
        Assert.True(cc.ExitCode == 0, cc.Output);
        var c = ProcessRunner.Run(dir.File("layout"), []).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Equal(c["size"], Marshal.SizeOf<LinkState>());
        Assert.Equal(c["size"], Unsafe.SizeOf<LinkState>());
        foreach (var f in fields)
        {
            var managed = string.Concat(f.Split('_').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.Equal(c[f], (int)Marshal.OffsetOf<LinkState>(managed));
        }
    }

    [Fact]
    public void The_library_is_looked_for_next_to_the_program_then_in_artifacts_native_above_it()
    {
        var places = LinkLibrary.Places("libcspylive_link.so", "/repo/src/CsPyLive.Cli/bin/Release/net10.0/", "/opt/cspylive/cspylive");
        Assert.Equal("/repo/src/CsPyLive.Cli/bin/Release/net10.0/libcspylive_link.so", places[0]);
        Assert.Equal("/opt/cspylive/libcspylive_link.so", places[1]);
        Assert.Contains("/repo/artifacts/native/libcspylive_link.so", places);
        Assert.Contains("/opt/artifacts/native/libcspylive_link.so", places);
        Assert.Equal("libcspylive_link.so", places[^1]);
        Assert.Equal(places.Length, places.Distinct().Count());
        Assert.Equal("CSPYLIVE_LINK_LIBRARY", LinkLibrary.Finder.EnvironmentVariable);
    }

    [Fact]
    public void A_Link_time_becomes_a_frame_of_the_period_and_the_host_time_adds_the_output_latency()
    {
        // 120 BPM: a beat every 500 ms. The period starts at t = 1 s on Link's clock; the next beat is 2 ms later.
        var state = new LinkState(1_000_000, 4, 120, 3.996, 3.996, 1_002_000, 1_002_000, isPlaying: false);
        Assert.Equal(96, state.FrameOf(state.NextBeatMicros, 48000));
        Assert.Equal(0, state.FrameOf(state.TimeMicros, 48000));
        Assert.Equal(-48, state.FrameOf(999_000, 48000));
        Assert.Equal(1_000_000 + 5333, LinkSession.HostTimeMicros(1_000_000, 256, 48000));
        Assert.Equal(1_000_000 + 5805, LinkSession.HostTimeMicros(1_000_000, 256, 44100));
    }
}
