using System.Buffers.Binary;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary><c>cspylive report stats.json -o show.png</c>: the picture of a show's timeline (ADR 0019).</summary>
public sealed class ReportTests
{
    /// <summary>40 s of a show: xruns in seconds 20 and 22 during an OSC burst, saves at 8, 21 (broken) and 23, an error at 30.</summary>
    private static string Show => TestData.Path("report/show.json");

    /// <summary>A PNG's size from its IHDR chunk, after checking the signature.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Draws_the_timeline_as_a_png_of_the_size_asked()
    {
        using var dir = new TempDir();
        var r = ProcessRunner.CsPyLive("report", Show, "-o", dir.File("show.png"), "--width", "1200", "--height", "700");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal((1200, 700), PngSize(dir.File("show.png")));
        Assert.Contains("show.json: 40 s on jack, 3 xruns, 3 reloads, 1 errors", r.StdErr);
        Assert.True(new FileInfo(dir.File("show.png")).Length > 20_000, "a chart of 40 s with markers is more than a blank image");
    }

    [Fact]
    public void The_native_binary_plays_with_stats_and_draws_them_with_skia_beside_it()
    {
        using var dir = new TempDir();
        var play = ProcessRunner.Run(ProcessRunner.NativeBinary, ["play", Path.Combine(TestData.RepoRoot, "patches", "hello"), "--audio", "null",
            "--duration", "3", "--stats", dir.File("stats.json"), "--no-tui"]);
        Assert.True(play.ExitCode == 0, play.Output);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(ProcessRunner.NativeBinary)!, "libSkiaSharp.so")), "libSkiaSharp.so does not ship beside the binary");
        var report = ProcessRunner.Run(ProcessRunner.NativeBinary, ["report", dir.File("stats.json")]);
        Assert.True(report.ExitCode == 0, report.Output);
        Assert.Equal((1600, 900), PngSize(dir.File("stats.png"))); // the stats file's name, .png, by default
        Assert.Contains("stats.json: 3 s on null", report.StdErr);
    }

    [Theory]
    [InlineData(null, "no such file")]
    [InlineData("{\"callbacks\": 12,", "not JSON")]
    [InlineData("{\"callbacks\": 12}", "no \"timeline\" in it")]
    [InlineData("{\"timeline\": []}", "the timeline is empty")]
    [InlineData("{\"timeline\": [{\"t\": 0}]}", "a timeline row is not what cspylive writes")]
    public void A_missing_or_broken_stats_file_says_what_is_wrong_and_exits_2(string? content, string said)
    {
        using var dir = new TempDir();
        var stats = dir.File("stats.json");
        if (content is not null) File.WriteAllText(stats, content);
        var r = ProcessRunner.CsPyLive("report", stats, "-o", dir.File("show.png"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("report: " + stats + ": " + said, r.StdErr);
        Assert.False(File.Exists(dir.File("show.png")));
    }
}
