using System.Net;
using System.Net.Sockets;
using CsPyLive.Osc;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Osc;

/// <summary>
/// `cspylive play` with OSC, driven by liblo's `oscsend` and watched by `oscdump` (independent peers), all on
/// 127.0.0.1. The probe patch puts what OSC changed on its output channels as DC, so the recording shows it.
/// </summary>
public sealed class OscPeerTests
{
    private static int FreePort(SocketType type)
    {
        using var s = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static void OscSend(int port, params string[] args)
    {
        var r = ProcessRunner.Run("oscsend", ["127.0.0.1", port.ToString(), .. args], timeout: TimeSpan.FromSeconds(10));
        Assert.True(r.ExitCode == 0, r.Output);
    }

    private static TempDir ProbePatch()
    {
        var dir = new TempDir();
        foreach (var f in Directory.GetFiles(TestData.Path("osc")))
            File.Copy(f, dir.File(Path.GetFileName(f)));
        return dir;
    }

    private static double[] LastFrame(WavFile wav) => wav.Samples[^wav.Channels..];

    [Fact]
    public void Oscsend_sets_python_channels_events_triggers_and_oscdump_gets_feedback()
    {
        using var dir = ProbePatch();
        var port = FreePort(SocketType.Dgram);
        var feedback = FreePort(SocketType.Dgram);
        using var dump = new BackgroundProcess("oscdump", ["-L", feedback.ToString()]);
        using var play = BackgroundProcess.CsPyLive(null, "play", dir.Path, "--audio", "null", "--duration", "4",
            "--record", dir.File("out.wav"), "--stats", dir.File("stats.json"), "--osc-port", port.ToString(),
            "--osc-feedback-port", feedback.ToString());
        Assert.True(play.WaitForStdErr("OSC on udp 127.0.0.1:" + port, TimeSpan.FromSeconds(30)), play.StdErr);

        OscSend(port, "/py/x", "f", "0.25");
        OscSend(port, "/1/fader1", "f", "0.5");    // channel level, scaled 0..1 -> 200..2000, with feedback
        OscSend(port, "/1/push3", "f", "7");       // event template i 2 0 0.1 $1
        OscSend(port, "/1/push3", "f", "0");       // a button's release: no event
        OscSend(port, "/1/rotary1", "f", "0.75");  // trigger: value channel v, trigger channel t
        OscSend(port, "/event", "s", "i 2 0 0.1 8");
        OscSend(port, "/nowhere", "i", "1");

        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var last = LastFrame(WavFile.Read(dir.File("out.wav")));
        Assert.Equal(0.25, last[0], 6);
        Assert.Equal(1100, last[1], 3);
        Assert.Equal(8, last[2], 6);     // the later /event wins
        Assert.Equal(1, last[3], 6);     // the trigger was high for exactly one k-cycle
        Assert.Equal(0.75, last[4], 6);  // pyassignt copied the value when it fired
        Assert.Contains("to addresses nothing listens on (last: /nowhere)", result.StdErr);

        var stats = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("stats.json"))).RootElement;
        Assert.Equal(7, stats.GetProperty("osc_received").GetInt64());
        // What the messages ran at k-boundaries (Python assignment, channel writes, triggers) was compiled before play.
        Assert.Equal(0, stats.GetProperty("audio_thread_jit_methods").GetInt64());
        Assert.True(dump.WaitForStdOut("/1/fader1 f 0.5", TimeSpan.FromSeconds(5)), dump.StdOut);
    }

    [Fact]
    public void Slip_framed_tcp_and_panic()
    {
        using var dir = ProbePatch();
        var port = FreePort(SocketType.Stream);
        using var play = BackgroundProcess.CsPyLive(null, "play", dir.Path, "--audio", "null", "--duration", "3",
            "--record", dir.File("out.wav"), "--osc-tcp-port", port.ToString());
        Assert.True(play.WaitForStdErr("OSC on tcp 127.0.0.1:" + port, TimeSpan.FromSeconds(30)), play.StdErr);
        using (var client = new TcpClient())
        {
            client.Connect(IPAddress.Loopback, port);
            var stream = client.GetStream();
            var buffer = new byte[1024];
            foreach (var packet in new[] { OscModel.Message("/py/x", 0.5f), OscModel.Message("/chn/level", 3.0), OscModel.Message("/panic") })
            {
                var n = Slip.Encode(packet, buffer);
                stream.Write(buffer, 0, n);
                Thread.Sleep(300); // the tone must have sounded before /panic
            }
        }
        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var wav = WavFile.Read(dir.File("out.wav"));
        var last = LastFrame(wav);
        Assert.Equal(0.5, last[0], 6);
        Assert.Equal(3, last[1], 6);
        // instr 3's tone (channel 6) played, then /panic turned it off; instr 1 (panic_keep) still runs
        double Peak(int from, int to) => Enumerable.Range(from, to - from).Max(f => Math.Abs(wav.Samples[f * 6 + 5]));
        Assert.True(Peak(0, 24000) > 0.4);
        Assert.True(Peak(wav.Frames - 12000, wav.Frames) < 1e-4);
    }

    [Fact]
    public void A_non_loopback_bind_without_an_allowlist_is_refused()
    {
        using var dir = ProbePatch();
        var result = ProcessRunner.CsPyLive("play", dir.Path, "--audio", "null", "--duration", "1", "--osc-port", "0", "--osc-bind", "0.0.0.0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("needs an allowlist", result.StdErr);
    }
}
