using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Render;

/// <summary>
/// `cspylive render` against the reference: the real `csound -f -o` of the same CSD must write the same samples.
/// The CSDs differ in sr, ksmps (1, 32, 64, 441), nchnls (1, 2, 4), 0dbfs (default 32768, 1, 2), score lengths
/// that end mid-k-cycle, seeded randomness, and &lt;CsOptions&gt; that name outputs we must override.
/// </summary>
public sealed class RenderMatchesCsoundTests
{
    public static TheoryData<string> Corpus =>
    [
        "stereo-44k-k32.csd",
        "mono-22k-k1-default0dbfs.csd",
        "odd-ksmps-441.csd",
        "quad-96k-seeded-noise.csd",
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Float_render_is_sample_identical_to_csound(string csd)
    {
        using var dir = new TempDir();
        var source = TestData.Path("render", csd);
        var reference = ProcessRunner.Run("csound", ["-f", "-o", dir.File("ref.wav"), source], dir.Path);
        Assert.True(reference.ExitCode == 0, reference.Output);

        var ours = ProcessRunner.CsPyLive("render", source, "-o", dir.File("ours.wav"));
        Assert.True(ours.ExitCode == 0, ours.Output);

        var expected = WavFile.Read(dir.File("ref.wav"));
        var actual = WavFile.Read(dir.File("ours.wav"));
        Assert.Equal((3, 32), (actual.FormatTag, actual.BitsPerSample));
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(expected.SampleRate, actual.SampleRate);
        Assert.Equal(expected.Samples.Length, actual.Samples.Length);
        Assert.True(expected.Peak > 0.01, "the reference must not be silence, or the comparison proves nothing");
        var firstDifference = Enumerable.Range(0, expected.Samples.Length)
            .FirstOrDefault(i => expected.Samples[i] != actual.Samples[i], -1);
        Assert.True(firstDifference < 0,
            $"sample {firstDifference}: csound {expected.Samples[Math.Max(0, firstDifference)]}, ours {actual.Samples[Math.Max(0, firstDifference)]}");
    }

    [Theory]
    [InlineData("pcm16", "-s", 16)]
    [InlineData("pcm24", "-3", 24)]
    public void Integer_formats_match_csound_within_one_step(string format, string csoundFlag, int bits)
    {
        using var dir = new TempDir();
        var source = TestData.Path("render", "stereo-44k-k32.csd");
        var reference = ProcessRunner.Run("csound", [csoundFlag, "-o", dir.File("ref.wav"), source], dir.Path);
        Assert.True(reference.ExitCode == 0, reference.Output);
        var ours = ProcessRunner.CsPyLive("render", source, "--format", format, "-o", dir.File("ours.wav"));
        Assert.True(ours.ExitCode == 0, ours.Output);

        var expected = WavFile.Read(dir.File("ref.wav"));
        var actual = WavFile.Read(dir.File("ours.wav"));
        Assert.Equal((1, bits), (actual.FormatTag, actual.BitsPerSample));
        Assert.Equal(expected.Samples.Length, actual.Samples.Length);
        var worst = expected.Samples.Zip(actual.Samples, (a, b) => Math.Abs(a - b)).Max();
        Assert.InRange(worst, 0, 1);
    }

    [Fact]
    public void Output_options_in_the_csd_are_overridden_by_the_command_line()
    {
        using var dir = new TempDir();
        // odd-ksmps-441.csd says "-o should-not-be-written.wav"; the patch folder is the working directory.
        var csd = dir.Write("piece.csd", File.ReadAllText(TestData.Path("render", "odd-ksmps-441.csd")));
        var ours = ProcessRunner.CsPyLive("render", csd, "-o", dir.File("out.wav"));
        Assert.True(ours.ExitCode == 0, ours.Output);
        Assert.True(File.Exists(dir.File("out.wav")));
        Assert.False(File.Exists(dir.File("should-not-be-written.wav")));
    }

    [Fact]
    public void Duration_cuts_or_pads_to_exactly_that_many_frames()
    {
        using var dir = new TempDir();
        var source = TestData.Path("render", "stereo-44k-k32.csd"); // score ends at 1.1 s
        Assert.Equal(0, ProcessRunner.CsPyLive("render", source, "--duration", "0.25", "-o", dir.File("short.wav")).ExitCode);
        Assert.Equal(0, ProcessRunner.CsPyLive("render", source, "--duration", "2", "-o", dir.File("long.wav")).ExitCode);
        Assert.Equal(11025, WavFile.Read(dir.File("short.wav")).Frames);
        var longer = WavFile.Read(dir.File("long.wav"));
        Assert.Equal(88200, longer.Frames);
        Assert.All(longer.Samples[(int)(1.2 * 44100 * 2)..], s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_csd_that_does_not_compile_gives_csounds_error_and_a_nonzero_exit()
    {
        using var dir = new TempDir();
        var result = ProcessRunner.CsPyLive("render", TestData.Path("render", "broken.csd"), "-o", dir.File("x.wav"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("oscilll", result.StdErr);           // Csound's own message names the bad token
        Assert.Contains("could not compile", result.StdErr);  // and ours says what it means
        Assert.DoesNotContain("Unhandled exception", result.Output);
    }

    [Fact]
    public void A_missing_file_is_named_and_exits_nonzero()
    {
        var result = ProcessRunner.CsPyLive("render", "/no/such/piece.csd", "-o", "/tmp/never.wav");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/no/such/piece.csd", result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.Output);
    }

    [Fact]
    public void A_patch_folder_renders_its_csd()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "mypatch");
        Directory.CreateDirectory(folder);
        File.Copy(TestData.Path("render", "stereo-44k-k32.csd"), Path.Combine(folder, "mypatch.csd"));
        var result = ProcessRunner.CsPyLive("render", folder, "-o", dir.File("out.wav"));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(WavFile.Read(dir.File("out.wav")).Peak > 0.01);
    }
}
